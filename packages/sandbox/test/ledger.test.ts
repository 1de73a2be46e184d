import { describe, expect, it } from 'vitest'
import { type ChargeInput, createLedger, type LedgerEntry } from '../src/ledger'

function setup() {
  const clock = { now: 1_000_000 }
  const ledger = createLedger(() => clock.now)
  let n = 0
  const charge = (input: Partial<ChargeInput> = {}) =>
    ledger.charge({
      provider: 'iamport',
      paymentId: `imp_${++n}`,
      orderId: 'order_1',
      billingKey: 'cust_1',
      amount: 1000,
      currency: 'KRW',
      name: 'plan',
      ...input,
    })
  return { clock, ledger, charge }
}

const entry = (result: ReturnType<ReturnType<typeof setup>['charge']>) => {
  if ('refused' in result) throw new Error('expected a charge, got a refusal')
  return result as LedgerEntry
}

describe('the sandbox ledger', () => {
  it('keeps an order key unique among paid payments', () => {
    const { ledger, charge } = setup()
    const first = entry(charge())
    expect(ledger.statusOf(first)).toBe('paid')
    expect(charge()).toEqual({ refused: 'duplicate', entry: first })
    expect(entry(charge({ orderId: 'order_2' })).orderId).toBe('order_2')
    expect(entry(charge({ provider: 'bootpay' })).provider).toBe('bootpay')
    expect(ledger.audit()).toEqual({ payments: 3, paid: 3, doubleCharges: [] })
  })

  it('lets a declined order key be tried again, and keeps both attempts', () => {
    const { ledger, charge } = setup()
    const declined = entry(charge({ decline: { code: 'F_LIMIT', reason: '한도초과' } }))
    expect(ledger.statusOf(declined)).toBe('failed')
    const paid = entry(charge())
    expect(ledger.byOrder('iamport', 'order_1')).toEqual([declined, paid])
    expect(ledger.audit().paid).toBe(1)
  })

  it('holds a slow commit ready until the clock passes it, and blocks a second attempt meanwhile', () => {
    const { ledger, charge, clock } = setup()
    const slow = entry(charge({ commitDelayMs: 5_000 }))
    expect(ledger.statusOf(slow)).toBe('ready')
    expect(ledger.audit().paid).toBe(0)
    expect(charge()).toMatchObject({ refused: 'duplicate' })
    clock.now += 5_000
    expect(ledger.statusOf(slow)).toBe('paid')
    expect(ledger.audit().paid).toBe(1)
  })

  it('cancels partly, then fully; checksum guards a repeat; cancel_id makes a repeat a no-op', () => {
    const { ledger, charge } = setup()
    const paid = entry(charge())
    expect(ledger.cancel('iamport', paid.paymentId, { amount: 300, checksum: 1000 })).toMatchObject(
      {
        ok: true,
      },
    )
    expect(ledger.statusOf(paid)).toBe('partially_cancelled')
    // The same request again: the balance is no longer 1000, so it is not executed.
    expect(ledger.cancel('iamport', paid.paymentId, { amount: 300, checksum: 1000 })).toMatchObject(
      {
        ok: false,
        reason: 'checksum-mismatch',
      },
    )
    expect(ledger.cancellable(paid)).toBe(700)
    const once = ledger.cancel('iamport', paid.paymentId, { cancelId: 'c1' })
    const again = ledger.cancel('iamport', paid.paymentId, { cancelId: 'c1' })
    expect(again).toEqual(once)
    expect(ledger.statusOf(paid)).toBe('cancelled')
    expect(ledger.cancel('iamport', paid.paymentId, {})).toMatchObject({
      ok: false,
      reason: 'already-cancelled',
    })
    // Once paid, the order key stays used even after a refund.
    expect(charge()).toMatchObject({ refused: 'duplicate' })
  })

  it('refuses to cancel what does not exist, is not paid, or exceeds the balance', () => {
    const { ledger, charge } = setup()
    expect(ledger.cancel('iamport', 'imp_x', {})).toEqual({ ok: false, reason: 'not-found' })
    const declined = entry(charge({ decline: { code: 'F', reason: 'no' } }))
    expect(ledger.cancel('iamport', declined.paymentId, {})).toMatchObject({ reason: 'not-paid' })
    const paid = entry(charge({ orderId: 'order_2' }))
    expect(ledger.cancel('iamport', paid.paymentId, { amount: 1001 })).toMatchObject({
      reason: 'too-much',
    })
  })
})
