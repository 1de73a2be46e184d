import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  assertAmount,
  assertFields,
  assertIdentifier,
  assertNonEmptyList,
  encodePathSegment,
  failFor,
  openapiOptions,
  serializePath,
  ValidationError,
} from '../src'

const options = {
  field: 'customer_uid',
  maxLength: 80,
  provider: 'iamport',
  operation: 'getBillingKey',
} as const

// Characters each rule cares about, and lengths around the limit.
const unit = fc.constantFrom(
  ...['a', 'Z', '0', '-', '_', '/', '.', '%', '홍', '😀', ' ', '\t', '\n', '\r', '\u0000'],
  ...['\u001f', '\u007f', '\u0085', '\u009f', '\u00a0', '\u2028', '\u3000', '\ufeff'],
  // Halves of a surrogate pair: alone they are refused, side by side in order they are a character.
  ...['\ud83d', '\ude00'],
)
const identifierLike = fc.oneof(
  fc.string({ unit, maxLength: 12 }),
  fc.string({ unit, minLength: 78, maxLength: 82 }),
)

describe('assertIdentifier', () => {
  it.each([
    [undefined, 'customer_uid is not a string'],
    [42, 'customer_uid is not a string'],
    ['', 'customer_uid is empty'],
    ['x'.repeat(81), 'customer_uid is longer than 80 characters'],
    ['a\nb', 'customer_uid contains a control character'],
    ['a\u0000', 'customer_uid contains a control character'],
    ['a\u007f', 'customer_uid contains a control character'],
    ['a\u0085b', 'customer_uid contains a control character'],
    [' a', 'customer_uid starts or ends with whitespace'],
    ['a\u3000', 'customer_uid starts or ends with whitespace'],
    ['a\ud800b', 'customer_uid must be well-formed Unicode'],
    ['\udc00', 'customer_uid must be well-formed Unicode'],
  ])('refuses %o', (value, message) => {
    let error: unknown
    try {
      assertIdentifier(value, options)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({
      message,
      field: 'customer_uid',
      provider: 'iamport',
      operation: 'getBillingKey',
    })
  })

  it.each(['customer_1234', 'x'.repeat(80), '홍길동-카드', '../etc/passwd', 'a b', 'a😀'])(
    'accepts %o',
    (value) => {
      expect(assertIdentifier(value, options)).toBe(value)
    },
  )

  it('never echoes the value it refuses (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2 }), (value) => {
        const bad = `\u0001${value}`
        try {
          assertIdentifier(bad, options)
        } catch (e) {
          expect((e as Error).message).not.toContain(bad)
          return
        }
        throw new Error('accepted a control character')
      }),
    )
  })

  it('agrees with the rules on any string (property)', () => {
    fc.assert(
      fc.property(identifierLike, (value) => {
        const valid =
          value.length > 0 &&
          value.length <= 80 &&
          // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule under test
          !/[\u0000-\u001f\u007f-\u009f]/.test(value) &&
          value.trim() === value &&
          !/\p{Cs}/u.test(value)
        let accepted = true
        try {
          assertIdentifier(value, options)
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError)
          accepted = false
        }
        expect(accepted).toBe(valid)
      }),
    )
  })
})

describe('assertNonEmptyList', () => {
  it('returns a good list', () => {
    expect(assertNonEmptyList(['a', 'b'], { field: 'customerUids' })).toEqual(['a', 'b'])
  })

  it.each([
    ['a', 'customerUids is not an array'],
    [[], 'customerUids is empty'],
  ])('refuses %o', (value, message) => {
    expect(() => assertNonEmptyList(value, { field: 'customerUids' })).toThrow(
      expect.objectContaining({ name: 'ValidationError', message, field: 'customerUids' }),
    )
  })
})

describe('encodePathSegment', () => {
  it.each([
    ['customer_1234', 'customer_1234'],
    ['../x', '%2E%2E%2Fx'],
    ['a/b', 'a%2Fb'],
    ['?x=1', '%3Fx%3D1'],
    ['%2F', '%252F'],
    ['#frag', '%23frag'],
    ['...', '%2E%2E%2E'],
    ["it's(*)!", 'it%27s%28%2A%29%21'],
    ['홍', '%ED%99%8D'],
  ])('%s → %s', (value, encoded) => {
    expect(encodePathSegment(value)).toBe(encoded)
  })

  it('answers as percent-encoding does, on the fast path for letters, digits, _ and - too (property)', () => {
    // The slow path's encoding, spelled out: what every id, plain or not, must come out as.
    const encoded = (value: string) =>
      encodeURIComponent(value).replace(
        /[.!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      )
    const ascii = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      minLength: 1,
    })
    const plain = fc.stringMatching(/^[\w-]{1,40}$/)
    fc.assert(
      fc.property(
        fc.oneof(ascii, plain, fc.string({ unit: 'grapheme', minLength: 1 })),
        (value) => {
          fc.pre(value !== '.' && value !== '..')
          expect(encodePathSegment(value)).toBe(encoded(value))
        },
      ),
    )
  })

  it.each(['', '.', '..'])('refuses %o, which no encoding keeps in the path', (value) => {
    expect(() => encodePathSegment(value, 'receipt_id')).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'receipt_id' }),
    )
  })

  it('keeps any other string inside one segment, literally, through URL parsing (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (value) => {
        fc.pre(value !== '.' && value !== '..')
        const url = new URL(
          `https://api.iamport.kr/subscribe/customers/${encodePathSegment(value)}/payments`,
        )
        const segments = url.pathname.split('/')
        expect(segments).toHaveLength(5)
        expect(segments.slice(0, 3)).toEqual(['', 'subscribe', 'customers'])
        expect(segments[4]).toBe('payments')
        expect(decodeURIComponent(segments[3] as string)).toBe(value)
        expect(url.search).toBe('')
        expect(url.hash).toBe('')
      }),
    )
  })

  it('survives hostile inputs built from path syntax (property)', () => {
    const piece = fc.constantFrom(
      '.',
      '..',
      '/',
      '\\',
      '?',
      '#',
      '%',
      '%2F',
      '%2E',
      '%2e%2e',
      '&',
      '=',
      'a',
    )
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const value = pieces.join('')
        fc.pre(value !== '.' && value !== '..')
        const request = new Request(`https://h/v2/billing_key/${encodePathSegment(value)}`)
        const { pathname, search } = new URL(request.url)
        expect(pathname.startsWith('/v2/billing_key/')).toBe(true)
        expect(pathname.split('/')).toHaveLength(4)
        expect(decodeURIComponent(pathname.split('/')[3] as string)).toBe(value)
        expect(search).toBe('')
      }),
    )
  })
})

describe('failFor', () => {
  it("throws the provider's ValidationError naming the field and the rule, never a value", () => {
    const fail = failFor('bootpay')
    expect(() => fail('price', 'must be positive', 'chargeBillingKey')).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: 'price must be positive',
        field: 'price',
        provider: 'bootpay',
        operation: 'chargeBillingKey',
      }),
    )
    expect(() => failFor()('concurrency', 'is too low')).toThrow(ValidationError)
    // Typed `never`: it throws whatever the rule, an empty one too.
    expect(() => fail('price', '')).toThrow(ValidationError)
  })
})

describe('assertAmount', () => {
  const where = { field: 'amount', provider: 'iamport', operation: 'chargeBillingKey' } as const

  it.each([1, 0.5, 1_000_000, Number.MAX_VALUE])('returns the amount %o', (value) => {
    expect(assertAmount(value, where)).toBe(value)
  })

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100', null, undefined, 10n])(
    'refuses %o as a positive amount',
    (value) => {
      expect(() => assertAmount(value, where)).toThrow(
        expect.objectContaining({
          message: 'amount must be a positive finite number',
          field: 'amount',
          provider: 'iamport',
          operation: 'chargeBillingKey',
        }),
      )
    },
  )

  it('takes 0 only with `zero`, never a negative or an infinite amount', () => {
    expect(assertAmount(0, { ...where, zero: true })).toBe(0)
    for (const value of [-0.01, Number.NEGATIVE_INFINITY, Number.NaN, '0'])
      expect(() => assertAmount(value, { ...where, zero: true })).toThrow(
        'amount must be a finite number, 0 or more',
      )
  })
})

describe('assertFields', () => {
  const where = { provider: 'bootpay', operation: 'chargeBillingKey' } as const

  it('passes finite numbers, text up to 10 000 units, and any other value', () => {
    expect(() =>
      assertFields(
        { tax_free: 0, vat: 1.5, memo: 'x'.repeat(10_000), user: { phone: 1 }, flag: true },
        where,
      ),
    ).not.toThrow()
  })

  it.each([
    ['tax_free', Number.NaN, 'tax_free must be a finite number'],
    ['vat', Number.POSITIVE_INFINITY, 'vat must be a finite number'],
    ['memo', 'x'.repeat(10_001), 'memo is longer than 10000 characters'],
    ['memo', 'half \ud83d', 'memo must be well-formed Unicode'],
  ])('refuses %s = %o, naming the field', (field, value, message) => {
    expect(() => assertFields({ ok: 1, [field]: value }, where)).toThrow(
      expect.objectContaining({ name: 'ValidationError', message, field, ...where }),
    )
  })
})

describe('serializePath', () => {
  it("fills openapi-fetch's path template with encoded segments", () => {
    expect(
      serializePath('/subscribe/customers/{customer_uid}/payments', { customer_uid: 'a/../b' }),
    ).toBe('/subscribe/customers/a%2F%2E%2E%2Fb/payments')
  })

  it('fills every parameter, with the text around and between them kept', () => {
    expect(serializePath('/a/{x}/b/{y}.json', { x: 'cus_1', y: 'a b' })).toBe(
      '/a/cus_1/b/a%20b.json',
    )
    expect(serializePath('/v2/request/token', {})).toBe('/v2/request/token')
  })

  it('refuses a missing parameter instead of writing "undefined"', () => {
    expect(() => serializePath('/v2/billing_key/{billing_key}', {})).toThrow(
      expect.objectContaining({ name: 'ValidationError', field: 'billing_key' }),
    )
  })
})

describe('openapiOptions', () => {
  it("hands openapi-fetch the client's baseUrl and fetch, and serializePath", () => {
    const fetch = Object.assign(async () => new Response(), { rateLimit: undefined })
    const client = { baseUrl: 'https://x.test', fetch, extra: 1 } as never
    expect(openapiOptions(client)).toEqual({
      baseUrl: 'https://x.test',
      fetch,
      pathSerializer: serializePath,
    })
  })
})
