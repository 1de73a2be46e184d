import type { ErrorObject } from 'ajv/dist/2020.js'
import { deref, escapeToken, isObject, type JsonObject, valueAt } from './document'
import { issueOf, unique, type ValidationIssue } from './issues'

/** Validates `value` against the schema at `pointer` and explains the failures under `prefix`. */
export type Attempt = (pointer: string, value: unknown, prefix: string) => ValidationIssue[]

/** Keywords that never fail validation. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'example',
  'discriminator',
  'externalDocs',
  'xml',
])

/**
 * Turns Ajv's errors into issues. Ajv reports the failures of every branch of a failed
 * `oneOf`/`anyOf`, most of them about shapes the value was never meant to have (a found key
 * checked against the error envelope). Where the composition stands alone in its schema, the value
 * is validated against each branch by itself (`attempt`) and only the closest branch is reported,
 * followed by the composition's own line. Ajv reports a branch's failures right before the
 * composition's, so those are the ones replaced.
 */
export class Explainer {
  private locations: WeakMap<object, string> | undefined

  constructor(private readonly document: JsonObject) {}

  explain(errors: readonly ErrorObject[], prefix: string, attempt: Attempt): ValidationIssue[] {
    const issues: ValidationIssue[] = []
    for (const error of errors) {
      const branches = this.compositionAt(error)
      if (branches !== undefined) {
        const at = `${prefix}${error.instancePath}`
        while (issues.length > 0 && isWithin(issues.at(-1)?.pointer ?? '', at)) issues.pop()
        issues.push(...this.closestBranch(branches, error.data, at, attempt))
      }
      issues.push(issueOf(error, prefix))
    }
    return unique(issues)
  }

  /**
   * The failures of the branch closest to the value: the one whose `const`s hold (a discriminator
   * such as `status: PAID` picks its branch), then the one that declares the most of the
   * value's properties (a key with a wrong `card_type` is still a key, not a super key lacking
   * `channelGroupId`), then finds fault with the fewest of the values present (a key lacking
   * fields still has the success envelope's `code: 0`, which the error envelope refuses), then the
   * first in the document. Missing properties are what gets reported, not evidence against a
   * branch: a key that shows only fields both kinds of key declare is explained as the first kind.
   */
  private closestBranch(branches: string, value: unknown, at: string, attempt: Attempt) {
    const properties = isObject(value) ? Object.keys(value) : []
    const candidates = (valueAt(this.document, branches) as unknown[]).map((_, index) => {
      const branch = `${branches}/${index}`
      const known = this.declared(branch)
      const issues = attempt(branch, value, at)
      const faults = issues.filter((i) => !isComposition(i)).map((i) => i.pointer)
      const score = [
        -issues.filter((i) => isObject(i.expected) && 'const' in i.expected).length,
        properties.filter((p) => known.has(p)).length,
        -faultedValues(faults, properties, at),
        -index,
      ]
      return { issues, score }
    })
    return candidates.reduce((best, next) => (outranks(next.score, best.score) ? next : best))
      .issues
  }

  /** The pointer of a failed composition's branch list, when nothing else in its schema can fail. */
  private compositionAt(error: ErrorObject): string | undefined {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return undefined
    // a oneOf that failed because several branches matched has no branch failures to sort out
    if (error.params.passingSchemas) return undefined
    const alone = Object.keys(error.parentSchema ?? {}).every(
      (key) => key === error.keyword || ANNOTATIONS.has(key) || key.startsWith('x-'),
    )
    return alone && Array.isArray(error.schema) ? this.pointers().get(error.schema) : undefined
  }

  /** The property names a schema declares, through `$ref`s and `allOf`. */
  private declared(pointer: string): Set<string> {
    const schema = valueAt(this.document, pointer)
    if (!isObject(schema)) return new Set()
    const { value, pointer: at } = deref(this.document, { value: schema, pointer })
    const all = Array.isArray(value.allOf) ? value.allOf : []
    return new Set([
      ...Object.keys(isObject(value.properties) ? value.properties : {}),
      ...all.flatMap((_, index) => [...this.declared(`${at}/allOf/${index}`)]),
    ])
  }

  /** The JSON pointer of every object and array in the document, by identity (Ajv's verbose
   * errors hand back the document's own schema objects). */
  private pointers(): WeakMap<object, string> {
    if (!this.locations) {
      const locations = new WeakMap<object, string>()
      const visit = (value: unknown, pointer: string) => {
        if (typeof value !== 'object' || value === null || locations.has(value)) return
        locations.set(value, pointer)
        for (const [key, child] of Object.entries(value))
          visit(child, `${pointer}/${escapeToken(key)}`)
      }
      visit(this.document, '')
      this.locations = locations
    }
    return this.locations
  }
}

/**
 * How many of the present `properties` of the value at `at` have a fault at or below them; a fault
 * of the value itself (its type, say) counts as more than all of them.
 */
function faultedValues(faults: string[], properties: string[], at: string): number {
  if (faults.includes(at)) return properties.length + 1
  return properties.filter((p) => faults.some((f) => isWithin(f, `${at}/${escapeToken(p)}`))).length
}

/** Compares scores position by position: the first difference decides. */
function outranks(score: number[], than: number[]): boolean {
  const index = score.findIndex((value, i) => value !== than[i])
  return index >= 0 && (score[index] ?? 0) > (than[index] ?? 0)
}

function isComposition(issue: ValidationIssue): boolean {
  return isObject(issue.expected) && ('oneOf' in issue.expected || 'anyOf' in issue.expected)
}

function isWithin(pointer: string, at: string): boolean {
  return pointer === at || pointer.startsWith(`${at}/`)
}
