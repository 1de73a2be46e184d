// Budgets, gzip, dependencies included, for a program that imports the named export.
//
// `limit` guards today's size against regressions; `goal` is what the entry should weigh (a
// provider client 5 kB, the facade 8 kB). The goals are not met since charging, schedules,
// cancels, response shape checks and redaction by value joined the clients (all methods of one
// client object, so none tree-shakes away); repo.test.ts prints each entry's distance to its
// goal and refuses a loosened goal. openapi-fetch and the facade's model mapping stay out of a
// provider's main entry (they are in `/api` and in `createXAdapter`).
const kB = (n) => `${n} kB`

const entries = [
  // Raised from 3.5 with the provider kit (the token, transport and classification wiring each
  // provider wrote by hand lives here once), the charge model and redaction by value; from 6.1
  // with the rate limit's state and pause listeners (measured 6.18 kB); from 6.3 with an attempt
  // settled by its timer and the caller's abort, and the fast path for plain path ids (measured
  // 6.32 kB; 12 to 15 µs less CPU per call on an injected fetch, interleaved A/B runs); with what
  // the provider packages each wrote out and now take from core: lookupEach, failFor,
  // assertAmount, assertFields, openapiOptions, SCHEDULE_WINDOW_MS (+255 B); with createSlots,
  // the one concurrency bound the facade's providers share when looked up at once (+100 B).
  { name: '@billingkey/core', path: '../../packages/core/dist/index.js', limit: kB(6.7) },
  {
    name: '@billingkey/iamport: createIamportClient',
    path: '../../packages/iamport/dist/index.js',
    import: '{ createIamportClient }',
    // Raised from 9.4 with core's cheaper attempt and path ids (measured 9.41 kB; see core), and
    // its multi lookups taking the facade's shared concurrency slots.
    limit: kB(9.5),
    goal: kB(5),
  },
  {
    name: '@billingkey/bootpay: createBootpayClient',
    path: '../../packages/bootpay/dist/index.js',
    import: '{ createBootpayClient }',
    // Raised from 6 with charging, reservations and cancels (measured 7.99 kB, + ~3%); from 8.6
    // with core's final 5xx answers not retried (measured 8.63 kB); from 8.7 with core's cheaper
    // attempt and path ids (12 to 15 µs less CPU per call) and its helpers the provider packages
    // share (measured 8,729 B).
    limit: kB(8.8),
    goal: kB(5),
  },
  {
    name: '@billingkey/portone: createPortoneClient',
    path: '../../packages/portone/dist/index.js',
    import: '{ createPortoneClient }',
    // Bootpay's budget: raised from 8.5 when its charge took the shared ChargeOptions (measured
    // 8.52 kB), and with core's final 5xx answers not retried, which keeps a PG's decline (502
    // PG_PROVIDER) from being re-sent (measured 8.57 kB).
    limit: kB(8.6),
    goal: kB(5),
  },
  {
    name: '@billingkey/client: createBillingKeys',
    path: '../../packages/client/dist/index.js',
    import: '{ createBillingKeys }',
    limit: kB(8),
    goal: kB(8),
  },
  // Guards, not goals: openapi-fetch (≈2.6 kB) on core's path serializer.
  {
    name: '@billingkey/iamport/api: createIamportApi',
    path: '../../packages/iamport/dist/api.js',
    import: '{ createIamportApi }',
    limit: kB(3.6),
  },
  {
    name: '@billingkey/bootpay/api: createBootpayApi',
    path: '../../packages/bootpay/dist/api.js',
    import: '{ createBootpayApi }',
    limit: kB(3.6),
  },
  {
    name: '@billingkey/portone/api: createPortoneApi',
    path: '../../packages/portone/dist/api.js',
    import: '{ createPortoneApi }',
    limit: kB(3.6),
  },
]

module.exports = entries.map(({ goal, ...entry }) => ({ ...entry, gzip: true }))
// Not a size-limit option: repo.test.ts reads it.
module.exports.goals = Object.fromEntries(
  entries.filter((entry) => entry.goal).map((entry) => [entry.name, entry.goal]),
)
