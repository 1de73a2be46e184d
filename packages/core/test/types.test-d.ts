import { assertType, describe, expectTypeOf, it } from 'vitest'
import {
  type ApiError,
  type BillingKey,
  type BillingKeyAdapter,
  BillingKeyError,
  type BillingKeyRef,
  type ChargeResult,
  type ClientOptions,
  createLog,
  createProviderClient,
  createTransport,
  isBillingKeyError,
  type Logger,
  type LookupResult,
  NotFoundError,
  RateLimitError,
  serializePath,
  ValidationError,
} from '../src'

describe('types', () => {
  it("fits openapi-fetch's createClient options", () => {
    const transport = createTransport({ provider: 'iamport' })
    expectTypeOf(transport).toExtend<(input: Request) => Promise<Response>>()
    expectTypeOf(serializePath).toExtend<
      (pathname: string, pathParams: Record<string, unknown>) => string
    >()
  })

  it('narrows a ref by provider', () => {
    const ref = {} as BillingKeyRef
    if (ref.provider === 'iamport') expectTypeOf(ref.customerUid).toBeString()
    else if ('receiptId' in ref) expectTypeOf(ref.receiptId).toBeString()
    else expectTypeOf(ref.billingKey).toBeString()
    expectTypeOf<BillingKey<'iamport'>['ref']>().toEqualTypeOf<{
      provider: 'iamport'
      customerUid: string
    }>()
    // @ts-expect-error a bootpay key has no customerUid ref
    assertType<BillingKey<'bootpay'>['ref']>({ provider: 'bootpay', customerUid: 'x' })
  })

  it("keeps a provider's key and result assignable to the general ones", () => {
    expectTypeOf<BillingKey<'iamport', { customer_uid: string }>>().toExtend<BillingKey>()
    expectTypeOf<
      LookupResult<BillingKey<'bootpay', { receipt_id: string }>>
    >().toExtend<LookupResult>()
  })

  it('discriminates a lookup result', () => {
    const result = {} as LookupResult<BillingKey<'bootpay', { receipt_id: string }>>
    if (result.ok) expectTypeOf(result.key.raw.receipt_id).toBeString()
    else expectTypeOf(result.error).toEqualTypeOf<BillingKeyError>()
  })

  it('gives an adapter typed refs and keys', () => {
    const adapter = {} as BillingKeyAdapter<'iamport', { customer_uid: string }>
    expectTypeOf(adapter.lookup)
      .parameter(0)
      .toEqualTypeOf<{ provider: 'iamport'; customerUid: string }>()
    expectTypeOf(adapter.lookup).returns.resolves.toEqualTypeOf<
      BillingKey<'iamport', { customer_uid: string }>
    >()
  })

  it('carries the details on every error', () => {
    const error = new RateLimitError('x')
    expectTypeOf(error).toExtend<ApiError>()
    expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>()
    expectTypeOf(new ValidationError('x').field).toEqualTypeOf<string | undefined>()
    expectTypeOf(new NotFoundError('x').provider).toEqualTypeOf<
      'iamport' | 'bootpay' | 'portone' | undefined
    >()
    expectTypeOf(new BillingKeyError('x').code).toEqualTypeOf<string | number | undefined>()
  })

  it('narrows by instanceof and the guard, through the cross-build Symbol.hasInstance', () => {
    const error = {} as unknown
    if (error instanceof RateLimitError)
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>()
    if (isBillingKeyError(error)) expectTypeOf(error).toEqualTypeOf<BillingKeyError>()
  })

  it('accepts console and pino-shaped loggers', () => {
    assertType<Logger>(console)
    const pinoLike = {
      debug: (_obj: object | string, ..._rest: unknown[]) => {},
      info: (_obj: object | string, ..._rest: unknown[]) => {},
      warn: (_obj: object | string, ..._rest: unknown[]) => {},
      error: (_obj: object | string, ..._rest: unknown[]) => {},
    }
    assertType<Logger>(pinoLike)
    createLog(console, 'debug')
  })

  it('shares one options shape', () => {
    expectTypeOf<ClientOptions>().toHaveProperty('timeoutMs')
    expectTypeOf<ClientOptions['logLevel']>().toEqualTypeOf<
      'debug' | 'info' | 'warn' | 'error' | 'off' | undefined
    >()
  })

  it('a charge result must be narrowed before its payment reads as paid', () => {
    const result = {} as ChargeResult<'iamport'>
    // @ts-expect-error a declined or unknown result has no paid payment
    assertType<{ status: 'paid' }>(result.payment)
    // @ts-expect-error only a declined result has a decline code
    assertType<string | null>(result.code)
    if (result.outcome === 'paid') expectTypeOf(result.payment.status).toEqualTypeOf<'paid'>()
    else if (result.outcome === 'declined') expectTypeOf(result.code).toEqualTypeOf<string | null>()
    else expectTypeOf(result.error).toExtend<BillingKeyError>()
  })
})

describe('typed calls of the provider kit', () => {
  interface Paths {
    '/keys/{id}': {
      get: {
        parameters: { path: { id: string }; query?: { page?: number } }
        responses: { 200: { content: { 'application/json': { id: string; n: number } } } }
      }
      post?: never
    }
    '/keys': {
      get?: never
      post: {
        parameters: { path?: never; query?: never }
        requestBody: { content: { 'application/json': { name: string } } }
        responses: { 201: { content: { 'application/json': { id: string } } } }
      }
    }
  }
  const { call } = createProviderClient<Paths>(
    {
      provider: 'bootpay',
      secrets: [],
      baseUrl: 'https://x.test',
      auth: { basic: 'Basic eA==' },
      failureOf: () => undefined,
      payloadOf: (body) => body,
    },
    {},
  )

  it('checks the path, the params and the body against the paths, and types the payload', () => {
    expectTypeOf(call('get', 'GET', '/keys/{id}', { params: { path: { id: 'a' } } })).toEqualTypeOf<
      Promise<{ id: string; n: number }>
    >()
    expectTypeOf(call('add', 'POST', '/keys', { body: { name: 'a' } })).toEqualTypeOf<
      Promise<{ id: string }>
    >()
    // @ts-expect-error: no such path for GET
    call('x', 'GET', '/keys', {})
    // @ts-expect-error: the path param is required
    call('x', 'GET', '/keys/{id}', {})
    // @ts-expect-error: a wrong query param type
    call('x', 'GET', '/keys/{id}', { params: { path: { id: 'a' }, query: { page: 'two' } } })
    // @ts-expect-error: the body is required and typed
    call('x', 'POST', '/keys', { body: { name: 1 } })
  })
})
