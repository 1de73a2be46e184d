export type { ProviderName } from './document'
export { type Fixture, loadFixtures } from './fixtures'
export {
  loadSpec,
  type OperationInfo,
  type RequestToValidate,
  type RouteMatch,
  type Spec,
} from './spec'
export { formatErrors, type ValidationIssue, type ValidationResult } from './validator'
