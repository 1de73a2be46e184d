import type Ajv2020 from 'ajv/dist/2020.js'
import type { ValidateFunction } from 'ajv/dist/2020.js'
import { createAjv, refTo } from './ajv'
import { isObject, type JsonObject, valueAt } from './document'
import { type Attempt, Explainer } from './explain'
import type { ValidationIssue } from './issues'

/**
 * Validates values against the schemas of one document and explains the failures. Each schema is
 * compiled on first use and cached; `coerce` is for values that arrive as strings (path, query,
 * header and form fields).
 */
export class Validator {
  private readonly strict: Ajv2020
  private readonly coercing: Ajv2020
  private readonly validators = new Map<string, ValidateFunction>()
  private readonly explainer: Explainer

  constructor(
    private readonly document: JsonObject,
    private readonly name: string,
  ) {
    this.strict = createAjv(document, false)
    this.coercing = createAjv(document, true)
    this.explainer = new Explainer(document)
  }

  /** The issues of `value` against the schema at `pointer`, with pointers under `prefix`. */
  schema(pointer: string, value: unknown, prefix: string, coerce = false): ValidationIssue[] {
    return this.attempt(this.ajv(coerce), pointer, value, prefix)
  }

  /** The issues of `value` against a media type object's schema; one without accepts anything. */
  media(mediaType: string, value: unknown, prefix: string, coerce = false): ValidationIssue[] {
    const media = valueAt(this.document, mediaType)
    if (!isObject(media) || media.schema === undefined) return []
    return this.schema(`${mediaType}/schema`, value, prefix, coerce)
  }

  /** The issues of `value` against a schema built from the document (`build`), compiled once
   * under `key`; always coercing, as it serves the values that arrive as strings. */
  built(key: string, build: () => object, value: unknown, prefix: string): ValidationIssue[] {
    const ajv = this.coercing
    const validate = this.compiled(key, () => ajv.compile(build()))
    if (validate(value)) return []
    return this.explainer.explain(validate.errors ?? [], prefix, (branch, v, at) =>
      this.attempt(ajv, branch, v, at),
    )
  }

  private ajv(coerce: boolean): Ajv2020 {
    return coerce ? this.coercing : this.strict
  }

  /** Validates and explains. */
  private attempt(
    ajv: Ajv2020,
    pointer: string,
    value: unknown,
    prefix: string,
  ): ReturnType<Attempt> {
    const validate = this.compiled(
      `${ajv === this.strict ? 'strict' : 'coercing'} ${pointer}`,
      () => ajv.compile(refTo(pointer)),
    )
    const errors = validate(value) ? [] : (validate.errors ?? [])
    return this.explainer.explain(errors, prefix, (branch, v, at) =>
      this.attempt(ajv, branch, v, at),
    )
  }

  private compiled(key: string, compile: () => ValidateFunction): ValidateFunction {
    let validate = this.validators.get(key)
    if (!validate) {
      try {
        validate = compile()
      } catch (error) {
        throw new Error(
          `${this.name}: cannot compile the schema for ${key}: ${(error as Error).message}`,
        )
      }
      this.validators.set(key, validate)
    }
    return validate
  }
}
