import type { Sandbox } from './sandbox'
import { DATA_SET_SIZE } from './seed'

/**
 * What `billingkey sandbox` prints on start: where each provider is served and the demo
 * credentials to use (demo values, printed on purpose; the sandbox accepts no others).
 */
export function formatBanner(sandbox: Sandbox): string {
  const { iamport, bootpay, bootpayBasic, portone } = sandbox.credentials
  return [
    `billingkey sandbox listening on ${sandbox.url} (seed ${sandbox.seed})`,
    '',
    `  iamport  ${sandbox.iamport.baseUrl}`,
    `           apiKey ${iamport.apiKey}  apiSecret ${iamport.apiSecret}`,
    `  bootpay  ${sandbox.bootpay.baseUrl}`,
    `           applicationId ${bootpay.applicationId}  privateKey ${bootpay.privateKey}`,
    `           or clientKey ${bootpayBasic.clientKey}  secretKey ${bootpayBasic.secretKey}`,
    `  portone  ${sandbox.portone.baseUrl}`,
    `           apiSecret ${portone.apiSecret}  storeId ${portone.storeId}`,
    '',
    `  Demo data: ${DATA_SET_SIZE.iamport} iamport, ${DATA_SET_SIZE.bootpay} Bootpay and ${DATA_SET_SIZE.portone} PortOne V2 keys (active, expired, deleted).`,
  ].join('\n')
}
