import { describe, expect, it, vi } from 'vitest'
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BillingKeyError,
  BillingKeyExpiredError,
  ConnectionError,
  errorFromResponse,
  isBillingKeyError,
  NotFoundError,
  parseRetryAfter,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
  toBillingKeyError,
  ValidationError,
} from '../src'
import { json } from './helpers'

describe('the error hierarchy', () => {
  it.each([
    [ApiError, [BillingKeyError]],
    [AuthenticationError, [ApiError, BillingKeyError]],
    [NotFoundError, [ApiError, BillingKeyError]],
    [RateLimitError, [ApiError, BillingKeyError]],
    [ServerError, [ApiError, BillingKeyError]],
    [RejectedError, [ApiError, BillingKeyError]],
    [BillingKeyExpiredError, [RejectedError, ApiError, BillingKeyError]],
    [ConnectionError, [BillingKeyError]],
    [TimeoutError, [BillingKeyError]],
    [AbortError, [BillingKeyError]],
    [ValidationError, [BillingKeyError]],
    [ResponseError, [BillingKeyError]],
  ])('%o is a real Error named after its class', (Class, parents) => {
    const error = new Class('boom', {
      provider: 'iamport',
      operation: 'getBillingKey',
      status: 500,
    })
    expect(error).toBeInstanceOf(Error)
    for (const parent of parents) expect(error).toBeInstanceOf(parent)
    expect(error.name).toBe(Class.name)
    expect(String(error)).toBe(`${Class.name}: boom`)
    expect(error.stack).toContain(`${Class.name}: boom`)
    expect(error).toMatchObject({ provider: 'iamport', operation: 'getBillingKey', status: 500 })
    expect(isBillingKeyError(error)).toBe(true)
  })

  it('keeps the cause out of toJSON', () => {
    const cause = new Request('https://api.iamport.kr/x', { headers: { authorization: 'secret' } })
    const error = new ConnectionError('reset', { provider: 'iamport', cause })
    expect(error.cause).toBe(cause)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ConnectionError',
      message: 'reset',
      provider: 'iamport',
    })
  })

  it('stores the body redacted', () => {
    const error = new RejectedError('no', {
      body: { code: -1, response: { card_number: '4111-1111-1111-1111', customer_uid: 'c1' } },
    })
    expect(error.body).toEqual({
      code: -1,
      response: { card_number: '[REDACTED]', customer_uid: 'c1' },
    })
  })

  it("recognises another copy of core's errors (the CJS build beside the ESM one)", async () => {
    vi.resetModules()
    const other = await import('../src/errors')
    expect(other.NotFoundError).not.toBe(NotFoundError)
    const notFound = new other.NotFoundError('gone')
    const expired = new other.BillingKeyExpiredError('expired')
    expect(notFound).toBeInstanceOf(NotFoundError)
    expect(notFound).toBeInstanceOf(ApiError)
    expect(notFound).toBeInstanceOf(BillingKeyError)
    expect(notFound).toBeInstanceOf(Error)
    expect(isBillingKeyError(notFound)).toBe(true)
    expect(expired).toBeInstanceOf(RejectedError)
    expect(new NotFoundError('gone')).toBeInstanceOf(other.NotFoundError)
    expect(other.isBillingKeyError(new ValidationError('bad'))).toBe(true)
    // and a subclass stays a different class, from either copy
    expect(notFound).not.toBeInstanceOf(RateLimitError)
    expect(new other.RateLimitError('slow')).not.toBeInstanceOf(NotFoundError)
    expect(expired).not.toBeInstanceOf(NotFoundError)
    expect(new other.ApiError('x')).not.toBeInstanceOf(NotFoundError)
    expect(new other.ConnectionError('x')).not.toBeInstanceOf(ApiError)
    expect(toBillingKeyError(notFound, {})).toBe(notFound)
  })

  it('keeps instanceof within one copy when a minifier renamed the classes', async () => {
    vi.resetModules()
    const minified = await import('../src/errors')
    for (const [short, Class] of [
      ['a', minified.BillingKeyError],
      ['b', minified.ApiError],
      ['c', minified.NotFoundError],
    ] as const) {
      Object.defineProperty(Class, 'name', { value: short })
    }
    const error = new minified.NotFoundError('gone')
    expect(error).toBeInstanceOf(minified.NotFoundError)
    expect(error).toBeInstanceOf(minified.ApiError)
    expect(minified.isBillingKeyError(error)).toBe(true)
    expect(error).not.toBeInstanceOf(minified.RateLimitError)
  })

  it('is not fooled by a look-alike of the same name from other code', () => {
    const lookAlike = new (class ValidationError extends Error {})('x')
    expect(lookAlike).not.toBeInstanceOf(ValidationError)
    expect(lookAlike).not.toBeInstanceOf(BillingKeyError)
    expect(isBillingKeyError(lookAlike)).toBe(false)
    for (const value of [null, undefined, 0, 'ValidationError', Object.create(null)]) {
      expect(value).not.toBeInstanceOf(ValidationError)
    }
  })

  it('tells BillingKeyErrors from other values', () => {
    expect(isBillingKeyError(new Error('x'))).toBe(false)
    expect(isBillingKeyError({ name: 'NotFoundError' })).toBe(false)
    expect(isBillingKeyError(undefined)).toBe(false)
  })
})

describe('errorFromResponse', () => {
  const from = (response: Response, body: unknown = undefined, extra = {}) =>
    errorFromResponse({ provider: 'bootpay', operation: 'getBillingKey', response, body, ...extra })

  it.each([
    [401, AuthenticationError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [400, RejectedError],
    [403, RejectedError],
    [409, RejectedError],
    [200, RejectedError],
  ])('maps HTTP %i to %o', (status, Class) => {
    const error = from(new Response(null, { status }))
    expect(error).toBeInstanceOf(Class)
    expect(error.status).toBe(status)
  })

  it('describes an HTML 502 by status, content type and size', () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    const response = new Response(html, {
      status: 502,
      statusText: 'Bad Gateway',
      headers: { 'content-type': 'text/html; charset=utf-8', 'cf-ray': '8a1b2c3d4e5f-ICN' },
    })
    const error = from(response, html)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.message).toBe(
      `bootpay getBillingKey failed: the provider failed (HTTP 502 Bad Gateway, text/html body, ${html.length} characters)`,
    )
    expect(error).toMatchObject({ status: 502, requestId: '8a1b2c3d4e5f-ICN', body: html })
  })

  it("uses the provider's message and code", () => {
    const body = { error_code: 'SUBSCRIBE_BK_EXPIRED', message: '만료된 빌링키입니다.' }
    const error = from(json(body, 400, { 'x-request-id': 'req-1' }), body, {
      code: body.error_code,
      message: body.message,
      as: BillingKeyExpiredError,
    })
    expect(error).toBeInstanceOf(BillingKeyExpiredError)
    expect(error.message).toBe(
      'bootpay getBillingKey failed: the billing key has expired or was deleted (HTTP 400, code SUBSCRIBE_BK_EXPIRED, message: 만료된 빌링키입니다.)',
    )
    expect(error).toMatchObject({ code: 'SUBSCRIBE_BK_EXPIRED', requestId: 'req-1', body })
  })

  it('lets the provider pick the class for a 200 with a failure code', () => {
    const body = { code: 1, message: 'not found', response: null }
    const error = from(json(body), body, { code: 1, message: body.message, as: NotFoundError })
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 200, code: 1 })
  })

  it.each([
    ['x-request-id', 'a'],
    ['request-id', 'b'],
    ['x-amzn-requestid', 'c'],
    ['cf-ray', 'd'],
  ])('reads the request id from %s', (header, value) => {
    expect(from(new Response(null, { status: 500, headers: { [header]: value } })).requestId).toBe(
      value,
    )
  })

  it('gives a 429 its Retry-After', () => {
    const error = from(new Response(null, { status: 429, headers: { 'retry-after': '7' } }))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(7000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  it.each([
    ['0', 0],
    ['3', 3000],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:10 GMT', 10_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%o → %o ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms)
  })
})

describe('toBillingKeyError', () => {
  const details = { provider: 'iamport', operation: 'getBillingKey' } as const

  it('turns a JSON SyntaxError into a ResponseError that does not quote the body', () => {
    let thrown: unknown
    try {
      JSON.parse('{"card_number":"4111-1111-1111-1111","customer_uid":')
    } catch (e) {
      thrown = e
    }
    const error = toBillingKeyError(thrown, details)
    expect(error).toBeInstanceOf(ResponseError)
    expect(error.message).toBe('iamport getBillingKey failed: the response body is not valid JSON')
    expect(error.cause).toBeUndefined()
    expect(JSON.stringify(error) + String(error) + error.stack).not.toContain('4111')
  })

  it.each([
    ['a TypeError from fetch', new TypeError('fetch failed'), ConnectionError],
    ['an AbortError', new DOMException('This operation was aborted', 'AbortError'), AbortError],
    ['a TimeoutError', new DOMException('The operation timed out.', 'TimeoutError'), TimeoutError],
    ['any other Error', new Error('something else'), BillingKeyError],
    ['a thrown string', 'a string', BillingKeyError],
  ])('wraps %s as %o, keeping it as the cause', (_, thrown, Class) => {
    const error = toBillingKeyError(thrown, details)
    expect(error.constructor).toBe(Class)
    expect(error.cause).toBe(thrown)
    expect(error).toMatchObject(details)
    expect(error.message).toMatch(/^iamport getBillingKey failed: /)
  })

  it('passes a BillingKeyError through, filling in what it lacked', () => {
    const original = new TimeoutError('timed out', { provider: 'iamport' })
    const error = toBillingKeyError(original, details)
    expect(error).toBe(original)
    expect(error.operation).toBe('getBillingKey')
    const other = new NotFoundError('gone', { provider: 'iamport', operation: 'deleteBillingKey' })
    expect(toBillingKeyError(other, details).operation).toBe('deleteBillingKey')
  })
})
