import {
  type ApiError,
  type Failure,
  NotFoundError,
  type ProviderDeclaration,
  type Unwrap,
} from '@billingkey/core'
import type { Envelope } from './types'

/** iamport's `code`: 0 success, 1 not found (with its message), -1 refused, or any other. */
export type IamportCode = 0 | 1 | -1 | (number & {})

/** An iamport failure, its `code` typed. */
export type IamportApiError = ApiError<IamportCode>

const isEnvelope = (body: unknown): body is Envelope =>
  typeof (body as Envelope | null)?.code === 'number'

/**
 * An unknown customer_uid comes in two shapes: the documented 404, and HTTP 200 with code 1 and
 * "요청하신 customer_uid(…)로 등록된 정보를 찾을 수 없습니다." seen in the official SDKs' live tests.
 * No source says code 1 means "not found", so a 2xx counts only with the message as well. Either
 * must carry iamport's envelope: a proxy's 404 page is no proof that a key is gone.
 */
export const isUnknownUid = (failure: Failure<IamportCode> | undefined, status: number) =>
  !!failure &&
  (status === 404 || (failure.code === 1 && /찾을 수 없|존재하지 않/.test(failure.message ?? '')))

/** What a typed call returns: the `response` of a code-0 envelope. */
export interface Payload extends Unwrap {
  payload: Extract<this['body'], { code: 0 }> extends { response: infer R } ? R : never
}

/** How an iamport answer is classified: the `{ code, message, response }` envelope. */
export const classification: Pick<
  ProviderDeclaration<IamportCode>,
  'failureOf' | 'payloadOf' | 'classOf'
> = {
  failureOf: (body) =>
    isEnvelope(body) && body.code !== 0 ? { code: body.code, message: body.message } : undefined,
  payloadOf: (body) => (isEnvelope(body) ? body.response : undefined),
  classOf: (failure, status) => (isUnknownUid(failure, status) ? NotFoundError : undefined),
}
