import { describe, expect, it } from 'vitest'
import { envConfig } from '../src/env'
import { InputError } from '../src/errors'

describe('envConfig', () => {
  it('is empty with no credentials (the embedded sandbox) and ignores empty values', () => {
    expect(envConfig({})).toEqual({})
    expect(envConfig({ IAMPORT_API_KEY: '', IAMPORT_API_SECRET: '' })).toEqual({})
  })

  it('reads each provider pair and the base URL overrides', () => {
    expect(
      envConfig({
        IAMPORT_API_KEY: 'k',
        IAMPORT_API_SECRET: 's',
        IAMPORT_BASE_URL: 'http://127.0.0.1:4010/iamport',
        BOOTPAY_APPLICATION_ID: 'a',
        BOOTPAY_PRIVATE_KEY: 'p',
      }),
    ).toEqual({
      iamport: { apiKey: 'k', apiSecret: 's', baseUrl: 'http://127.0.0.1:4010/iamport' },
      bootpay: { applicationId: 'a', privateKey: 'p' },
    })
    expect(envConfig({ BOOTPAY_CLIENT_KEY: 'c', BOOTPAY_SECRET_KEY: 's' })).toEqual({
      bootpay: { clientKey: 'c', secretKey: 's' },
    })
  })

  it.each([
    [{ IAMPORT_API_KEY: 'k' }, 'IAMPORT_API_KEY is set, but IAMPORT_API_SECRET is not'],
    [{ IAMPORT_API_SECRET: 's' }, 'IAMPORT_API_SECRET is set, but IAMPORT_API_KEY is not'],
    [{ BOOTPAY_PRIVATE_KEY: 'p' }, 'BOOTPAY_PRIVATE_KEY is set, but BOOTPAY_APPLICATION_ID is not'],
    [{ BOOTPAY_CLIENT_KEY: 'c' }, 'BOOTPAY_CLIENT_KEY is set, but BOOTPAY_SECRET_KEY is not'],
    [
      {
        BOOTPAY_APPLICATION_ID: 'a',
        BOOTPAY_PRIVATE_KEY: 'p',
        BOOTPAY_CLIENT_KEY: 'c',
        BOOTPAY_SECRET_KEY: 's',
      },
      'not both',
    ],
    [
      { BOOTPAY_BASE_URL: 'http://localhost' },
      'BOOTPAY_BASE_URL is set, but no bootpay credentials are',
    ],
    [
      { IAMPORT_API_KEY: 'k', IAMPORT_API_SECRET: 's', IAMPORT_BASE_URL: 'ftp://x' },
      'IAMPORT_BASE_URL is not an http:// or https:// URL',
    ],
  ])('%j is an InputError naming the variables', (env, message) => {
    expect(() => envConfig(env)).toThrow(InputError)
    expect(() => envConfig(env)).toThrow(message)
  })

  it('never puts a value in a message', () => {
    const secret = 'sk_live_very_secret'
    for (const env of [
      { IAMPORT_API_SECRET: secret },
      { BOOTPAY_PRIVATE_KEY: secret },
      { IAMPORT_API_KEY: 'k', IAMPORT_API_SECRET: 's', IAMPORT_BASE_URL: `https://${secret}@` },
    ]) {
      expect(() => envConfig(env)).toThrow(InputError)
      try {
        envConfig(env)
      } catch (error) {
        expect((error as Error).message).not.toContain(secret)
      }
    }
  })
})

describe('envConfig: PortOne V2', () => {
  it('reads the secret, the optional store and base URL', () => {
    expect(envConfig({ PORTONE_API_SECRET: 's' })).toEqual({ portone: { apiSecret: 's' } })
    expect(
      envConfig({
        PORTONE_API_SECRET: 's',
        PORTONE_STORE_ID: 'store-1',
        PORTONE_BASE_URL: 'http://127.0.0.1:4010/portone',
      }),
    ).toEqual({
      portone: { apiSecret: 's', storeId: 'store-1', baseUrl: 'http://127.0.0.1:4010/portone' },
    })
  })

  it.each([
    [{ PORTONE_STORE_ID: 'store-1' }, 'PORTONE_STORE_ID is set, but PORTONE_API_SECRET is not'],
    [{ PORTONE_BASE_URL: 'http://x' }, 'PORTONE_BASE_URL is set, but no portone credentials are'],
  ])('refuses %j', (env, message) => {
    expect(() => envConfig(env)).toThrow(new InputError(message))
  })
})
