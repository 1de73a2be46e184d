import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  hideValues,
  isSecretKey,
  REDACTED,
  redact,
  redactCause,
  redactHeaders,
  redactText,
  withSecretsOf,
} from '../src'

const SECRET_KEYS = [
  'authorization',
  'x-imptokenheader',
  'cookie',
  'set-cookie',
  'imp_key',
  'imp_secret',
  'private_key',
  'secret_key',
  'client_key',
  'access_token',
  'token',
  'password',
  'card_number',
  'card_no',
  'card_pw',
  'card_expire_year',
  'card_expire_month',
  'expiry',
  'birth',
  'pwd_2digit',
  'cvc',
  'card_identity_no',
  'identity_no',
  'cash_receipt_identity_no',
  'bank_account',
  // camelCase, PascalCase and kebab-case spellings of the same names
  'privateKey',
  'PrivateKey',
  'private-key',
  'impKey',
  'impSecret',
  'clientKey',
  'secretKey',
  'accessToken',
  'cardNumber',
  'cardNo',
  'cardPw',
  'cardExpireYear',
  'cardIdentityNo',
  'identityNo',
  'cashReceiptIdentityNo',
  'pwd2digit',
  'bankAccount',
  'BankAccount',
]

describe('isSecretKey', () => {
  it.each(SECRET_KEYS)('%s is secret, in any case', (key) => {
    expect(isSecretKey(key)).toBe(true)
    expect(isSecretKey(key.toUpperCase())).toBe(true)
  })

  it.each([
    'customer_uid',
    'billing_key',
    'receipt_id',
    'application_id',
    'merchant_uid',
    'channel_key',
    'pg',
    'message',
    'customerUid',
    'billingKey',
    'receiptId',
    'applicationId',
    'merchantUid',
    'channelKey',
  ])('%s is not', (key) => {
    expect(isSecretKey(key)).toBe(false)
  })

  it('matches anywhere in a key, so new fields of the same kind are hidden too', () => {
    for (const key of ['refresh_token', 'client_secret', 'card_cvc', 'card_name', 'Set-Cookie'])
      expect(isSecretKey(key)).toBe(true)
  })
})

describe('redact', () => {
  it('replaces secret values at any depth and copies the rest', () => {
    const input = {
      imp_key: 'k',
      list: [{ card_number: '4111', customer_uid: 'c1' }, 'plain'],
      nested: { deeper: { access_token: 't', now: 1 } },
      Authorization: 'Bearer t',
    }
    const output = redact(input)
    expect(output).toEqual({
      imp_key: REDACTED,
      list: [{ card_number: REDACTED, customer_uid: 'c1' }, 'plain'],
      nested: { deeper: { access_token: REDACTED, now: 1 } },
      Authorization: REDACTED,
    })
    expect(input.imp_key).toBe('k')
  })

  it('hides secret pairs inside strings', () => {
    expect(redact({ message: 'rejected imp_secret=abc' })).toEqual({
      message: `rejected imp_secret=${REDACTED}`,
    })
    expect(redact('card_no=1234&x=1')).toBe(`card_no=${REDACTED}&x=1`)
  })

  it('leaves primitives alone', () => {
    for (const value of [undefined, null, 0, 1.5, true, false]) expect(redact(value)).toBe(value)
  })

  it('does not throw on a cycle or a BigInt', () => {
    const cyclic: Record<string, unknown> = { card_number: '4111' }
    cyclic.self = cyclic
    expect(redact(cyclic)).toBe('[Unserializable]')
    expect(redact({ n: 1n })).toBe('[Unserializable]')
  })

  it('never lets a planted secret through (property)', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `CANARY${s}`)
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }),
      ),
    })).node
    fc.assert(
      fc.property(tree, fc.constantFrom(...SECRET_KEYS), secret, (base, key, canary) => {
        const value = { base, wrapper: { [key]: canary, list: [{ [key]: canary }] } }
        expect(JSON.stringify(redact(value))).not.toContain(canary)
      }),
    )
  })
})

describe('redactText', () => {
  it.each([
    ['imp_key=abc&imp_secret=def&x=1', `imp_key=${REDACTED}&imp_secret=${REDACTED}&x=1`],
    [
      'https://api.iamport.kr/users/getToken?imp_key=abc&page=2',
      `https://api.iamport.kr/users/getToken?imp_key=${REDACTED}&page=2`,
    ],
    [
      '{"card_number":"4111-1111","expiry":"2030-12"}',
      `{"card_number":${REDACTED},"expiry":${REDACTED}}`,
    ],
    ['{"birth": 900101, "name": "hong"}', `{"birth": ${REDACTED}, "name": "hong"}`],
    ['Authorization: Bearer eyJhbGci.x.y', `Authorization: ${REDACTED}`],
    ['authorization=Basic dXNlcjpwYXNz', `authorization=${REDACTED}`],
    ["{ pwd_2digit: '12' }", `{ pwd_2digit: ${REDACTED} }`],
    ['{"privateKey":"abc","cardNo":"4111"}', `{"privateKey":${REDACTED},"cardNo":${REDACTED}}`],
    ['cardNumber=4111&bankAccount=123&x=1', `cardNumber=${REDACTED}&bankAccount=${REDACTED}&x=1`],
    ['Private-Key: abc', `Private-Key: ${REDACTED}`],
    [
      'Headers.set: "Bearer abc.def" is an invalid header value',
      `Headers.set: "Bearer ${REDACTED}" is an invalid header value`,
    ],
    ['sent Basic dXNlcjpwYXNz= to the server', `sent Basic ${REDACTED} to the server`],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (text, expected) => {
    expect(redactText(text)).toBe(expected)
  })

  it('stays linear on a long run of word characters (a base64 blob in an error page)', () => {
    const blob = 'QUJD'.repeat(50_000)
    expect(redactText(`${blob} cvc=123 ${blob}token`)).toBe(`${blob} cvc=${REDACTED} ${blob}token`)
  })

  it('hides any value of any secret key in a form body (property)', () => {
    const value = fc.stringMatching(/^[A-Za-z0-9._~-]{1,24}$/)
    fc.assert(
      fc.property(fc.constantFrom(...SECRET_KEYS), value, (key, secret) => {
        const form = new URLSearchParams({ customer_uid: 'c1', [key]: `Z${secret}` }).toString()
        expect(redactText(form)).not.toContain(`Z${secret}`)
        expect(redactText(form)).toContain('customer_uid=c1')
      }),
    )
  })
})

describe('redactHeaders', () => {
  it('hides credential headers and keeps the rest', () => {
    expect(
      redactHeaders({
        Authorization: 'Bearer t',
        'X-ImpTokenHeader': 't',
        Cookie: 'a=b',
        Accept: 'application/json',
      }),
    ).toEqual({
      authorization: REDACTED,
      'x-imptokenheader': REDACTED,
      cookie: REDACTED,
      accept: 'application/json',
    })
  })
})

describe('hideValues', () => {
  const SECRET = 'CANARYv4lue'

  it('hides the values it was given anywhere in text, until they are released', () => {
    const unhide = hideValues([SECRET])
    expect(redactText(`the key ${SECRET} was rejected`)).toBe(`the key ${REDACTED} was rejected`)
    expect(redact({ message: `no, ${SECRET}!`, list: [SECRET] })).toEqual({
      message: `no, ${REDACTED}!`,
      list: [REDACTED],
    })
    unhide()
    expect(redactText(`the key ${SECRET}`)).toBe(`the key ${SECRET}`)
  })

  it('keeps a value hidden while another holder still has it, and releases only once', () => {
    const a = hideValues([SECRET])
    const b = hideValues([SECRET])
    a()
    a()
    expect(redactText(SECRET)).toBe(REDACTED)
    b()
    expect(redactText(SECRET)).toBe(SECRET)
  })

  it('ignores values too short to hide safely, and non-strings', () => {
    const unhide = hideValues(['12', 12345678, undefined, null])
    expect(redactText('HTTP 412, 12345678')).toBe('HTTP 412, 12345678')
    unhide()
  })
})

describe('withSecretsOf', () => {
  const SECRET = 'CANARYv4lue'

  it('hides the secret-named fields of a request, at any depth and in any case style, while the call runs', async () => {
    const sent = {
      customer_uid: 'customer-1',
      card: { cardNumber: `${SECRET}-number`, expiry: '2030-12' },
      list: [{ private_key: `${SECRET}-key` }],
    }
    const seen = await withSecretsOf(sent, async () =>
      redactText(`card ${SECRET}-number key ${SECRET}-key till 2030-12 for customer-1`),
    )
    expect(seen).toBe(`card ${REDACTED} key ${REDACTED} till ${REDACTED} for customer-1`)
    expect(redactText(`${SECRET}-number`)).toBe(`${SECRET}-number`)
  })

  it('releases them when the call fails too', async () => {
    await expect(
      withSecretsOf({ cardNo: `${SECRET}-card` }, () => Promise.reject(new Error('no'))),
    ).rejects.toThrow('no')
    expect(redactText(`${SECRET}-card`)).toBe(`${SECRET}-card`)
  })
})

describe('redactCause', () => {
  it('keeps a clean cause as it was thrown', () => {
    const cause = new TypeError('fetch failed', { cause: new Error('ECONNRESET') })
    expect(redactCause(cause)).toBe(cause)
    for (const value of [undefined, 42, { plain: true }]) expect(redactCause(value)).toBe(value)
  })

  it('copies one that would show a secret, with its name, fields and chain redacted', () => {
    const inner = Object.assign(new Error('private_key=CANARYk'), { code: 'E_KEY', token: 'x' })
    const cause = new TypeError('Headers.set: "Bearer CANARYt" is an invalid header value', {
      cause: inner,
    })
    const safe = redactCause(cause) as Error & { cause: Error & { code: string; token: string } }
    expect(safe).not.toBe(cause)
    expect(safe.name).toBe('TypeError')
    expect(safe.message).toBe(`Headers.set: "Bearer ${REDACTED}" is an invalid header value`)
    expect(safe.stack).not.toContain('CANARY')
    expect(safe.cause).toMatchObject({
      message: `private_key=${REDACTED}`,
      code: 'E_KEY',
      token: REDACTED,
    })
    expect(cause.message).toContain('CANARYt')
  })

  it('redacts a string cause and survives a cycle', () => {
    expect(redactCause('cvc=123')).toBe(`cvc=${REDACTED}`)
    const cyclic: Error & { cause?: unknown } = new Error('token=CANARYc')
    cyclic.cause = cyclic
    const safe = redactCause(cyclic) as Error
    expect(safe.message).toBe(`token=${REDACTED}`)
    expect(inspect(safe, { depth: Number.POSITIVE_INFINITY })).not.toContain('CANARY')
  })
})
