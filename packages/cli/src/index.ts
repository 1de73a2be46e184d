export type { Io, Output } from './io'
export { run } from './run'
