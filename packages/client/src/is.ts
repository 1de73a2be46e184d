/**
 * `instanceof`, or the same class name: the provider packages and the facade may each resolve their
 * own copy of @billingkey/core when their versions move apart, and an error from one copy is not an
 * instance of the other's class.
 */
export function is(error: unknown, type: abstract new (...args: never[]) => Error): boolean {
  return error instanceof type || (error instanceof Error && error.name === type.name)
}
