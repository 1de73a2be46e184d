import { describe, expect, it } from 'vitest'
import { diffSpecs, emptySpec, renderMarkdown } from '../src/changelog.mjs'

type Json = Record<string, unknown>

/** A spec with one operation, `POST /things/{id}`, plus the given components. */
function spec(operation: Json, components: Json = {}, path = '/things/{id}') {
  return {
    openapi: '3.1.0',
    info: { title: 'test', version: '1.0.0' },
    paths: { [path]: { post: { operationId: 'makeThing', responses: {}, ...operation } } },
    components,
  }
}

const query = (name: string, schema: Json, required = false) => ({
  parameters: [{ name, in: 'query', required, schema }],
})
const body = (schema: Json, required = true) => ({
  requestBody: { required, content: { 'application/json': { schema } } },
})
const ok = (schema: Json, status = '200') => ({
  responses: { [status]: { description: 'OK', content: { 'application/json': { schema } } } },
})
const object = (properties: Json, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
})

/** The changes to the one operation, as [where, what, breaking] rows. */
function changes(before: Json, after: Json, components: Json = {}) {
  const diffs = diffSpecs(spec(before, components), spec(after, components))
  return diffs.flatMap((diff) =>
    diff.changes.map((change) => [change.where, change.what, change.breaking]),
  )
}

describe('operations', () => {
  it('an added operation is not breaking', () => {
    const [diff] = diffSpecs(emptySpec, spec({ summary: 'Make a thing' }))
    expect(diff).toMatchObject({
      method: 'post',
      path: '/things/{id}',
      operationId: 'makeThing',
      status: 'added',
      breaking: false,
    })
  })

  it('a removed operation is breaking', () => {
    const [diff] = diffSpecs(spec({}), emptySpec)
    expect(diff).toMatchObject({ operationId: 'makeThing', status: 'removed', breaking: true })
  })

  it('matches an operation whose path parameter was renamed, and reports the parameter', () => {
    const pathParam = (name: string) => ({
      parameters: [{ name, in: 'path', required: true, schema: { type: 'string' } }],
    })
    const diffs = diffSpecs(
      spec(pathParam('id'), {}, '/things/{id}'),
      spec(pathParam('thing_id'), {}, '/things/{thing_id}'),
    )
    expect(diffs.map((d) => [d.path, d.status, d.breaking])).toEqual([
      ['/things/{thing_id}', 'changed', true],
    ])
    expect(diffs[0]?.changes.map((c) => [c.where, c.what])).toEqual([
      ['path parameter `id`', 'removed'],
      ['path parameter `thing_id`', 'added, required'],
    ])
  })

  it('a renamed operationId is breaking', () => {
    expect(changes({}, { operationId: 'createThing' })).toEqual([
      ['operation', 'operationId `makeThing` → `createThing`', true],
    ])
  })

  it('deprecating an operation is not breaking', () => {
    expect(changes({}, { deprecated: true })).toEqual([['operation', 'deprecated', false]])
  })

  it('an unchanged spec has no changes', () => {
    const op = { ...query('page', { type: 'integer' }), ...ok(object({ a: { type: 'string' } })) }
    expect(diffSpecs(spec(op), spec(op))).toEqual([])
  })

  it('documentation-only edits are not changes', () => {
    const before = ok(object({ a: { type: 'string', description: 'A' } }))
    const after = ok(object({ a: { type: 'string', description: 'A, better said', example: 'x' } }))
    expect(changes({ summary: 'old', ...before }, { summary: 'new', ...after })).toEqual([])
  })
})

describe('parameters (written by the caller)', () => {
  it.each([
    {
      rule: 'a new required parameter is breaking',
      before: {},
      after: query('limit', { type: 'integer' }, true),
      expected: [['query parameter `limit`', 'added, required', true]],
    },
    {
      rule: 'a new optional parameter is not breaking',
      before: {},
      after: query('limit', { type: 'integer' }),
      expected: [['query parameter `limit`', 'added, optional', false]],
    },
    {
      rule: 'a removed parameter is breaking',
      before: query('limit', { type: 'integer' }),
      after: {},
      expected: [['query parameter `limit`', 'removed', true]],
    },
    {
      rule: 'an optional parameter becoming required is breaking',
      before: query('limit', { type: 'integer' }),
      after: query('limit', { type: 'integer' }, true),
      expected: [['query parameter `limit`', 'now required', true]],
    },
    {
      rule: 'a required parameter becoming optional is not breaking',
      before: query('limit', { type: 'integer' }, true),
      after: query('limit', { type: 'integer' }),
      expected: [['query parameter `limit`', 'now optional', false]],
    },
    {
      rule: 'a narrowed type is breaking',
      before: query('limit', { type: ['integer', 'string'] }),
      after: query('limit', { type: 'integer' }),
      expected: [
        ['query parameter `limit`', 'type `integer` | `string` → `integer` (narrowed)', true],
      ],
    },
    {
      rule: 'a widened type is not breaking',
      before: query('limit', { type: 'integer' }),
      after: query('limit', { type: 'number' }),
      expected: [['query parameter `limit`', 'type `integer` → `number` (widened)', false]],
    },
    {
      rule: 'a type changed to another is breaking',
      before: query('limit', { type: 'integer' }),
      after: query('limit', { type: 'string' }),
      expected: [['query parameter `limit`', 'type `integer` → `string` (changed)', true]],
    },
    {
      rule: 'a removed enum value is breaking',
      before: query('status', { type: 'string', enum: ['scheduled', 'paid'] }),
      after: query('status', { type: 'string', enum: ['scheduled'] }),
      expected: [['query parameter `status`', 'value `"paid"` removed (narrowed)', true]],
    },
    {
      rule: 'an added enum value is not breaking',
      before: query('status', { type: 'string', enum: ['scheduled'] }),
      after: query('status', { type: 'string', enum: ['scheduled', 'paid'] }),
      expected: [['query parameter `status`', 'value `"paid"` added (widened)', false]],
    },
    {
      rule: 'a new enum is a narrowing, so breaking',
      before: query('status', { type: 'string' }),
      after: query('status', { type: 'string', enum: ['paid'] }),
      expected: [['query parameter `status`', 'now limited to `"paid"` (narrowed)', true]],
    },
    {
      rule: 'a new format is a narrowing, so breaking',
      before: query('from', { type: 'string' }),
      after: query('from', { type: 'string', format: 'date' }),
      expected: [['query parameter `from`', 'format `none` → `date` (narrowed)', true]],
    },
    {
      rule: 'array items are compared too',
      before: query('customer_uid[]', { type: 'array', items: { type: ['string', 'integer'] } }),
      after: query('customer_uid[]', { type: 'array', items: { type: 'string' } }),
      expected: [
        [
          'query parameter `customer_uid[]` `[]`',
          'type `string` | `integer` → `string` (narrowed)',
          true,
        ],
      ],
    },
  ])('$rule', ({ before, after, expected }) => {
    expect(changes(before, after)).toEqual(expected)
  })

  it('path-level parameters count, and operation-level ones override them', () => {
    const withPathLevel = (required: boolean) => ({
      openapi: '3.1.0',
      paths: {
        '/things': {
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer' } }],
          get: {
            operationId: 'listThings',
            parameters: [{ name: 'page', in: 'query', required, schema: { type: 'integer' } }],
          },
        },
      },
    })
    const [diff] = diffSpecs(withPathLevel(false), withPathLevel(true))
    expect(diff?.changes).toEqual([
      { where: 'query parameter `page`', what: 'now required', breaking: true },
    ])
  })
})

describe('request bodies (written by the caller)', () => {
  it.each([
    {
      rule: 'a new required field is breaking',
      before: body(object({ a: { type: 'string' } })),
      after: body(object({ a: { type: 'string' }, b: { type: 'string' } }, ['b'])),
      expected: [['request body `b`', 'added, required', true]],
    },
    {
      rule: 'a new optional field is not breaking',
      before: body(object({ a: { type: 'string' } })),
      after: body(object({ a: { type: 'string' }, b: { type: 'string' } })),
      expected: [['request body `b`', 'added, optional', false]],
    },
    {
      rule: 'a removed field is breaking',
      before: body(object({ a: { type: 'string' }, b: { type: 'string' } })),
      after: body(object({ a: { type: 'string' } })),
      expected: [['request body `b`', 'removed', true]],
    },
    {
      rule: 'an optional field becoming required is breaking',
      before: body(object({ a: { type: 'string' } })),
      after: body(object({ a: { type: 'string' } }, ['a'])),
      expected: [['request body `a`', 'now required', true]],
    },
    {
      rule: 'a narrowed field type is breaking',
      before: body(object({ a: { type: ['string', 'null'] } })),
      after: body(object({ a: { type: 'string' } })),
      expected: [['request body `a`', 'type `string` | `null` → `string` (narrowed)', true]],
    },
    {
      rule: 'a widened field type is not breaking',
      before: body(object({ a: { type: 'string' } })),
      after: body(object({ a: { type: ['string', 'null'] } })),
      expected: [['request body `a`', 'type `string` → `string` | `null` (widened)', false]],
    },
    {
      rule: 'a new required body is breaking',
      before: {},
      after: body(object({ a: { type: 'string' } })),
      expected: [['request body', 'added, required', true]],
    },
    {
      rule: 'an optional body becoming required is breaking',
      before: body(object({ a: { type: 'string' } }), false),
      after: body(object({ a: { type: 'string' } })),
      expected: [['request body', 'now required', true]],
    },
    {
      rule: 'a removed body is breaking',
      before: body(object({ a: { type: 'string' } })),
      after: {},
      expected: [['request body', 'removed', true]],
    },
    {
      rule: 'a changed media type is breaking',
      before: body(object({ a: { type: 'string' } })),
      after: {
        requestBody: {
          required: true,
          content: { 'application/x-www-form-urlencoded': { schema: object({}) } },
        },
      },
      expected: [
        [
          'request body',
          'media type `application/json` → `application/x-www-form-urlencoded`',
          true,
        ],
      ],
    },
  ])('$rule', ({ before, after, expected }) => {
    expect(changes(before, after)).toEqual(expected)
  })
})

describe('responses (written by the provider, read by the caller)', () => {
  it.each([
    {
      rule: 'a removed field is breaking',
      before: ok(object({ a: { type: 'string' }, b: { type: 'string' } })),
      after: ok(object({ a: { type: 'string' } })),
      expected: [['response 200 `b`', 'removed', true]],
    },
    {
      rule: 'a new field is not breaking',
      before: ok(object({ a: { type: 'string' } })),
      after: ok(object({ a: { type: 'string' }, b: { type: 'string' } }, ['b'])),
      expected: [['response 200 `b`', 'added', false]],
    },
    {
      rule: 'a field that may now be absent is breaking',
      before: ok(object({ a: { type: 'string' } }, ['a'])),
      after: ok(object({ a: { type: 'string' } })),
      expected: [['response 200 `a`', 'now optional (may be absent)', true]],
    },
    {
      rule: 'a field that is now always present is not breaking',
      before: ok(object({ a: { type: 'string' } })),
      after: ok(object({ a: { type: 'string' } }, ['a'])),
      expected: [['response 200 `a`', 'now always present', false]],
    },
    {
      rule: 'a widened field type (now nullable) is breaking',
      before: ok(object({ a: { type: 'string' } })),
      after: ok(object({ a: { type: ['string', 'null'] } })),
      expected: [['response 200 `a`', 'type `string` → `string` | `null` (widened)', true]],
    },
    {
      rule: 'a narrowed field type (no longer nullable) is not breaking',
      before: ok(object({ a: { type: ['string', 'null'] } })),
      after: ok(object({ a: { type: 'string' } })),
      expected: [['response 200 `a`', 'type `string` | `null` → `string` (narrowed)', false]],
    },
    {
      rule: 'a type changed to another is breaking',
      before: ok(object({ a: { type: 'integer' } })),
      after: ok(object({ a: { type: 'string' } })),
      expected: [['response 200 `a`', 'type `integer` → `string` (changed)', true]],
    },
    {
      rule: 'an added enum value is breaking',
      before: ok(object({ status: { enum: ['active', 'deleted'] } })),
      after: ok(object({ status: { enum: ['active', 'deleted', 'expired'] } })),
      expected: [['response 200 `status`', 'value `"expired"` added (widened)', true]],
    },
    {
      rule: 'a removed enum value is not breaking',
      before: ok(object({ status: { enum: ['active', 'deleted', 'expired'] } })),
      after: ok(object({ status: { enum: ['active', 'deleted'] } })),
      expected: [['response 200 `status`', 'value `"expired"` removed (narrowed)', false]],
    },
    {
      rule: 'an enum lifted is breaking',
      before: ok(object({ status: { type: 'string', enum: ['active'] } })),
      after: ok(object({ status: { type: 'string' } })),
      expected: [['response 200 `status`', 'no longer limited to `"active"` (widened)', true]],
    },
    {
      rule: 'a dropped format is a widening, so breaking',
      before: ok(object({ at: { type: 'string', format: 'date-time' } })),
      after: ok(object({ at: { type: 'string' } })),
      expected: [['response 200 `at`', 'format `date-time` → `none` (widened)', true]],
    },
    {
      rule: 'a null variant added with oneOf is a widening, so breaking',
      before: ok(object({ card: object({ name: { type: 'string' } }) })),
      after: ok(
        object({ card: { oneOf: [object({ name: { type: 'string' } }), { type: 'null' }] } }),
      ),
      expected: [['response 200 `card`', 'type `object` → `object` | `null` (widened)', true]],
    },
    {
      rule: 'nested fields in arrays are compared',
      before: ok(object({ list: { type: 'array', items: object({ a: { type: 'string' } }) } })),
      after: ok(object({ list: { type: 'array', items: object({}) } })),
      expected: [['response 200 `list[].a`', 'removed', true]],
    },
    {
      rule: 'a removed success status is breaking',
      before: ok(object({})),
      after: { responses: {} },
      expected: [['response 200', 'removed', true]],
    },
    {
      rule: 'an added success status is breaking (a new shape to read)',
      before: ok(object({})),
      after: { responses: { ...ok(object({})).responses, ...ok(object({}), '207').responses } },
      expected: [['response 207', 'added', true]],
    },
    {
      rule: 'an added error status is not breaking',
      before: ok(object({})),
      after: { responses: { ...ok(object({})).responses, ...ok(object({}), '404').responses } },
      expected: [['response 404', 'added', false]],
    },
    {
      rule: 'a removed error status is not breaking',
      before: { responses: { ...ok(object({})).responses, ...ok(object({}), '404').responses } },
      after: ok(object({})),
      expected: [['response 404', 'removed', false]],
    },
    {
      rule: 'a removed response body is breaking',
      before: ok(object({})),
      after: { responses: { 200: { description: 'OK' } } },
      expected: [['response 200', 'body removed', true]],
    },
  ])('$rule', ({ before, after, expected }) => {
    expect(changes(before, after)).toEqual(expected)
  })
})

describe('schemas', () => {
  it('follows $refs, so a change in a shared component shows in each operation using it', () => {
    const customer = (card: Json) => ({
      schemas: {
        Envelope: object({ response: { $ref: '#/components/schemas/Customer' } }),
        Customer: object({ customer_uid: { type: 'string' }, card_name: card }),
      },
    })
    const op = {
      responses: {
        200: {
          description: 'OK',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Envelope' } } },
        },
      },
    }
    const twoOps = (components: Json) => ({
      openapi: '3.1.0',
      paths: {
        '/a': { get: { operationId: 'a', ...op } },
        '/b': { get: { operationId: 'b', ...op } },
      },
      components,
    })
    const diffs = diffSpecs(
      twoOps(customer({ type: 'string' })),
      twoOps(customer({ type: 'integer' })),
    )
    expect(diffs.map((d) => [d.operationId, d.changes])).toEqual(
      ['a', 'b'].map((id) => [
        id,
        [
          {
            where: 'response 200 `response.card_name`',
            what: 'type `string` → `integer` (changed)',
            breaking: true,
          },
        ],
      ]),
    )
  })

  it('terminates on recursive schemas, reporting a change where it first shows', () => {
    const tree = (leaf: Json) => ({
      schemas: {
        Node: object({
          leaf,
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        }),
      },
    })
    const op = ok({ $ref: '#/components/schemas/Node' })
    const before = spec(op, tree({ type: 'string' }))
    const after = spec(op, tree({ type: 'integer' }))
    expect(diffSpecs(before, after)[0]?.changes).toEqual([
      { where: 'response 200 `leaf`', what: 'type `string` → `integer` (changed)', breaking: true },
    ])
  })

  it('merges allOf parts: their fields and required lists', () => {
    const base = object({ id: { type: 'string' } }, ['id'])
    const before = body({ allOf: [base, object({ a: { type: 'string' } })] })
    const after = body({ allOf: [base, object({ a: { type: 'string' } }, ['a'])] })
    expect(changes(before, after)).toEqual([['request body `a`', 'now required', true]])
  })

  it('intersects a field defined by several allOf parts (an envelope and its specialization)', () => {
    const envelope = object({ code: { type: 'integer' }, response: {} })
    const customer = (fields: Json) => ({
      allOf: [envelope, object({ response: object(fields) })],
    })
    const before = ok(
      customer({ customer_uid: { type: 'string' }, pg_provider: { type: 'string' } }),
    )
    const after = ok(customer({ customer_uid: { type: 'string' } }))
    expect(changes(before, after)).toEqual([
      ['response 200 `response.pg_provider`', 'removed', true],
    ])
  })

  it('terminates on a recursive schema whose fields are merged from allOf parts', () => {
    const tree = (leaf: Json) => ({
      schemas: {
        Node: {
          allOf: [
            object({ leaf, next: { $ref: '#/components/schemas/Node' } }),
            object({ next: { $ref: '#/components/schemas/Node' } }),
          ],
        },
      },
    })
    const op = ok({ $ref: '#/components/schemas/Node' })
    const diffs = diffSpecs(spec(op, tree({ type: 'string' })), spec(op, tree({ type: 'integer' })))
    expect(diffs[0]?.changes.map((c) => c.where)).toEqual([
      'response 200 `leaf`',
      'response 200 `next.leaf`',
    ])
  })

  it('ends at a bounded depth when merged fields build ever new schemas', () => {
    const node = (leaf: Json) => ({
      schemas: {
        Node: {
          allOf: [
            object({ leaf, next: { $ref: '#/components/schemas/Node' } }),
            object({ next: { $ref: '#/components/schemas/Other' } }),
          ],
        },
        Other: { allOf: [object({ next: { $ref: '#/components/schemas/Node' } })] },
      },
    })
    const op = ok({ $ref: '#/components/schemas/Node' })
    const diffs = diffSpecs(spec(op, node({ type: 'string' })), spec(op, node({ type: 'integer' })))
    const where = diffs[0]?.changes.map((c) => c.where) ?? []
    expect(where[0]).toBe('response 200 `leaf`')
    expect(where.length).toBeGreaterThan(1)
    expect(where.length).toBeLessThanOrEqual(33)
  })

  it('a field required by every object variant of a oneOf stays required', () => {
    const variants = (required: string[]) => ({
      oneOf: [
        object({ a: { type: 'string' } }, required),
        object({ a: { type: 'string' } }, ['a']),
      ],
    })
    expect(changes(ok(variants(['a'])), ok(variants([])))).toEqual([
      ['response 200 `a`', 'now optional (may be absent)', true],
    ])
  })
})

describe('renderMarkdown', () => {
  it('lists added, removed and changed operations, marking the breaking ones', () => {
    const before = {
      openapi: '3.1.0',
      paths: {
        '/old': { delete: { operationId: 'dropThing' } },
        '/things': { get: { operationId: 'listThings', ...query('page', { type: 'integer' }) } },
      },
    }
    const after = {
      openapi: '3.1.0',
      paths: {
        '/new': { post: { operationId: 'makeThing', summary: '생성 / Make a thing' } },
        '/things': {
          get: { operationId: 'listThings', ...query('page', { type: 'integer' }, true) },
        },
      },
    }
    expect(renderMarkdown('test: `openapi.yaml` since `v1`', diffSpecs(before, after))).toBe(
      [
        '## test: `openapi.yaml` since `v1`',
        '',
        '**2 breaking changes**: the package needs a major release.',
        '',
        '### Added operations',
        '',
        '- `POST /new` (`makeThing`): 생성 / Make a thing',
        '',
        '### Removed operations',
        '',
        '- **BREAKING** `DELETE /old` (`dropThing`)',
        '',
        '### Changed operations',
        '',
        '- `GET /things` (`listThings`)',
        '  - **BREAKING** query parameter `page`: now required',
        '',
      ].join('\n'),
    )
  })

  it('says so when nothing changed', () => {
    expect(renderMarkdown('t', [])).toBe('## t\n\nNo changes to operations or fields.\n')
  })
})
