/**
 * The only credentials the sandbox accepts. They are public on purpose: the banner prints them
 * and the CLI uses them for its embedded sandbox. Shaped like the client factories' options.
 */
export const DEMO_IAMPORT_CREDENTIALS = {
  apiKey: 'sandbox_imp_key',
  apiSecret: 'sandbox_imp_secret',
} as const

/** Bootpay's token flow (POST /v2/request/token, then Bearer). */
export const DEMO_BOOTPAY_CREDENTIALS = {
  applicationId: 'sandbox_application_id',
  privateKey: 'sandbox_private_key',
} as const

/** Bootpay's newer flow: `Authorization: Basic base64(client_key:secret_key)` on every call. */
export const DEMO_BOOTPAY_BASIC_CREDENTIALS = {
  clientKey: 'sandbox_client_key',
  secretKey: 'sandbox_secret_key',
} as const

/** PortOne V2: `Authorization: PortOne <apiSecret>` on every call; `storeId` is the secret's store. */
export const DEMO_PORTONE_CREDENTIALS = {
  apiSecret: 'sandbox_portone_api_secret',
  storeId: 'store-sandbox-0000-7000-8000-000000000001',
} as const

export interface DemoCredentials {
  iamport: typeof DEMO_IAMPORT_CREDENTIALS
  bootpay: typeof DEMO_BOOTPAY_CREDENTIALS
  bootpayBasic: typeof DEMO_BOOTPAY_BASIC_CREDENTIALS
  portone: typeof DEMO_PORTONE_CREDENTIALS
}

export const DEMO_CREDENTIALS: DemoCredentials = {
  iamport: DEMO_IAMPORT_CREDENTIALS,
  bootpay: DEMO_BOOTPAY_CREDENTIALS,
  bootpayBasic: DEMO_BOOTPAY_BASIC_CREDENTIALS,
  portone: DEMO_PORTONE_CREDENTIALS,
}
