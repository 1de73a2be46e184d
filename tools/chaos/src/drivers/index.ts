import type { ChaosDriver } from '../engine'
import { bootpay } from './bootpay'
import { facade } from './facade'
import { iamport } from './iamport'
import { portone } from './portone'

export { bootpay, facade, iamport, portone }

/**
 * Every target the chaos proof runs: the test runs each, and `pnpm bench` reports each. A new
 * target is one driver (see ChaosDriver) added here; the engine and its checks stay as they are.
 *
 * - iamport (`iamport.ts`), Bootpay (`bootpay.ts`) and PortOne V2 (`portone.ts`) put the same
 *   faults on their charge (`charge-faults.ts`) and their own on the lookups that settle it.
 * - PortOne V2: `paymentId` is the order key; the client derives the `Idempotency-Key` from it and
 *   re-sends a charge itself after a lost answer or a 5xx, so `chargeRequest` reads the header and
 *   those re-sends count as retried charges (the engine checks each carries the first one's key);
 *   `told` reads the charge's URL (its 200 names no payment; a decline is a 502 PG_PROVIDER) and
 *   a lookup's `{ id, status }` (`READY`/`PAY_PENDING` in flight); no token to expire, so no 401.
 * - The facade (`facade.ts`): `keys.charge(ref, …)` of `@billingkey/client` over all three
 *   adapters on the same `fetch`, charging their keys in turn; its faults, refusals, keys and wire
 *   readers are the provider drivers' (chosen by the request's URL), not copies.
 */
export const drivers: readonly ChaosDriver[] = [iamport, bootpay, portone, facade]
