// Budgets, gzip, dependencies included, for a program that imports the named export.
//
// A provider client is 5 kB at most: openapi-fetch and the facade's model mapping are not in its
// main entry (they are in `/api` and in `createXAdapter`, which tree-shake away unless imported).
const kB = (n) => `${n} kB`

module.exports = [
  // Raised from 3.5 with the provider kit: the token, transport and classification wiring each
  // provider wrote by hand now lives here once.
  { name: '@billingkey/core', path: '../../packages/core/dist/index.js', limit: kB(4.3) },
  {
    name: '@billingkey/iamport: createIamportClient',
    path: '../../packages/iamport/dist/index.js',
    import: '{ createIamportClient }',
    limit: kB(5),
  },
  {
    name: '@billingkey/bootpay: createBootpayClient',
    path: '../../packages/bootpay/dist/index.js',
    import: '{ createBootpayClient }',
    limit: kB(5),
  },
  {
    name: '@billingkey/portone: createPortoneClient',
    path: '../../packages/portone/dist/index.js',
    import: '{ createPortoneClient }',
    limit: kB(5),
  },
  {
    name: '@billingkey/client: createBillingKeys',
    path: '../../packages/client/dist/index.js',
    import: '{ createBillingKeys }',
    limit: kB(8),
  },
  // Guards, not goals: openapi-fetch (≈2.6 kB) on core's path serializer.
  {
    name: '@billingkey/iamport/api: createIamportApi',
    path: '../../packages/iamport/dist/api.js',
    import: '{ createIamportApi }',
    limit: kB(3.25),
  },
  {
    name: '@billingkey/bootpay/api: createBootpayApi',
    path: '../../packages/bootpay/dist/api.js',
    import: '{ createBootpayApi }',
    limit: kB(3.25),
  },
  {
    name: '@billingkey/portone/api: createPortoneApi',
    path: '../../packages/portone/dist/api.js',
    import: '{ createPortoneApi }',
    limit: kB(3.25),
  },
].map((entry) => ({ ...entry, gzip: true }))
