import { assertIdentifier, assertPathId, type CallOptions, ValidationError } from '@billingkey/core'
import type { IamportClient } from './client'
import type { IamportPayment } from './types'

/** What iamport posts to `notice_url`, as JSON or a form. */
export interface IamportWebhookBody {
  imp_uid: string
  merchant_uid: string
  /** The state when it was sent; the lookup's is the one that counts. */
  status?: string
}

const operation = 'verifyWebhook'

/**
 * The payment a `notice_url` post is about, looked up by its `imp_uid`: V1 webhooks carry no
 * signature, so the lookup is the proof, and its state (not the body's) is the truth. Takes the
 * parsed body: a JSON object, a form-decoded object or URLSearchParams. A malformed body, or one
 * whose `merchant_uid` is not the payment's, is a ValidationError; an unknown `imp_uid` a
 * NotFoundError. Test-channel payments are found too (`include_sandbox`).
 */
export async function verifyWebhook(
  client: Pick<IamportClient, 'getPayment'>,
  body: unknown,
  options: CallOptions = {},
): Promise<IamportPayment> {
  const fields = (
    body instanceof URLSearchParams ? Object.fromEntries(body) : (body ?? {})
  ) as Partial<Record<keyof IamportWebhookBody, unknown>>
  const check = { provider: 'iamport', operation } as const
  const impUid = assertPathId(fields.imp_uid, { field: 'imp_uid', maxLength: 32, ...check })
  const merchantUid = assertIdentifier(fields.merchant_uid, {
    field: 'merchant_uid',
    maxLength: 40,
    ...check,
  })
  if (fields.status !== undefined && typeof fields.status !== 'string')
    throw new ValidationError('status is not a string', { field: 'status', ...check })
  const payment = await client.getPayment(impUid, { ...options, includeSandbox: true })
  if (payment.orderId !== merchantUid)
    throw new ValidationError("merchant_uid is not the looked-up payment's", {
      field: 'merchant_uid',
      ...check,
    })
  return payment
}
