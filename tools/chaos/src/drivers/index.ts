import type { ChaosDriver } from '../engine'
import { bootpay } from './bootpay'
import { iamport } from './iamport'

export { bootpay, iamport }

/**
 * Every target the chaos proof runs: the test runs each, and `pnpm bench` reports each. A new
 * target is one driver (see ChaosDriver) added here; the engine and its checks stay as they are.
 *
 * Done: iamport (`iamport.ts`) and Bootpay (`bootpay.ts`); both put the same faults on their
 * charge (`charge-faults.ts`) and their own on the lookups that settle it.
 *
 * Still to come, once the sandbox charges them:
 * - PortOne V2 (`@billingkey/portone`): `paymentId` is the order key; `chargeRequest` reads the
 *   `Idempotency-Key` header, so the client's own re-sends count as retried charges; refusals add
 *   409 `IDEMPOTENCY_OUTSTANDING_REQUEST`; `told` from `{ id, status }` (`READY`/`PAY_PENDING` in
 *   flight); no token to expire (`Authorization: PortOne <secret>`), so no 401 figure is expected.
 * - The facade (`keys.charge(ref, { orderId, amount, name })` of `@billingkey/client`): refs as keys,
 *   `connect` builds `createBillingKeys` over the provider clients on the same `fetch`; faults,
 *   `told` and `chargeRequest` are the underlying provider's, so it can reuse that driver's.
 */
export const drivers: readonly ChaosDriver[] = [iamport, bootpay]
