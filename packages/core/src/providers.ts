/** Every provider a package of this project speaks to: the one list the others derive from. */
export const PROVIDERS = ['iamport', 'bootpay', 'portone'] as const

export type ProviderName = (typeof PROVIDERS)[number]
