import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import { formatErrors, loadSpec, type ValidationResult } from '../src/index'

const miniPath = fileURLToPath(new URL('./fixtures/mini.yaml', import.meta.url))
const mini = loadSpec(miniPath)
// biome-ignore lint/suspicious/noExplicitAny: the tests reach into the parsed YAML to break it
type Document = Record<string, any>
const parsedMini = () => parse(readFileSync(miniPath, 'utf8')) as Document

const key = { key_id: 'k1', card_name: '신한카드', card_type: 0, inserted: 1603417956 }
const pointers = (result: ValidationResult) => result.errors.map((e) => e.pointer)

const scratch = mkdtempSync(join(tmpdir(), 'contract-spec-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('loadSpec', () => {
  it('lists every operation with its method, path template and documented statuses', () => {
    expect(mini.operations).toEqual([
      { operationId: 'listKeys', method: 'get', path: '/keys', statuses: ['200', '207', '4XX'] },
      {
        operationId: 'getKey',
        method: 'get',
        path: '/keys/{key_id}',
        statuses: ['200', '404', 'default'],
      },
      { operationId: 'issueKey', method: 'post', path: '/keys/{key_id}', statuses: ['2XX'] },
      { operationId: 'deleteKey', method: 'delete', path: '/keys/{key_id}', statuses: ['204'] },
      { operationId: 'countKeys', method: 'get', path: '/keys/count', statuses: ['200'] },
    ])
    expect(mini.operation('getKey').path).toBe('/keys/{key_id}')
  })

  it('caches per source: the same file by any path, the same parsed object', () => {
    expect(loadSpec(relative(process.cwd(), miniPath))).toBe(mini)
    const document = parsedMini()
    expect(loadSpec(document)).toBe(loadSpec(document))
    expect(loadSpec(document)).not.toBe(mini)
    expect(loadSpec(document).document).toBe(document)
  })

  it('reads JSON as well as YAML', () => {
    const file = join(scratch, 'mini.json')
    writeFileSync(file, JSON.stringify(parsedMini()))
    expect(loadSpec(file).operations).toEqual(mini.operations)
  })

  it('names the unknown operationId and the known ones', () => {
    expect(() => mini.operation('getKeys')).toThrow(
      /Unknown operationId "getKeys" in .*mini\.yaml; known: listKeys, getKey, issueKey, deleteKey, countKeys/,
    )
    expect(() => mini.validateResponse('nope', 200, {})).toThrow(/Unknown operationId "nope"/)
  })

  it('refuses what it cannot validate faithfully, with the reason', () => {
    const broken = (change: (document: Document) => void) => {
      const document = parsedMini()
      change(document)
      return () => loadSpec(document)
    }
    expect(broken((d) => (d.openapi = '3.0.3'))).toThrow(/not an OpenAPI 3.1 document/)
    expect(broken((d) => delete d.paths['/keys'].get.operationId)).toThrow(
      /GET \/keys has no operationId/,
    )
    expect(broken((d) => (d.paths['/keys/count'].get.operationId = 'getKey'))).toThrow(
      /operationId getKey is used twice/,
    )
    expect(
      broken((d) => (d.paths['/keys'].get.parameters[1] = { $ref: 'common.yaml#/Page' })),
    ).toThrow(/points outside the document; bundle it first/)
    expect(broken((d) => (d.components.parameters.Page.explode = false))).toThrow(
      /\/components\/parameters\/Page: only the default parameter serialization/,
    )
    expect(() => loadSpec(join(scratch, 'missing.yaml'))).toThrow(
      /Cannot read the OpenAPI document .*missing\.yaml/,
    )
    const bad = join(scratch, 'bad.yaml')
    writeFileSync(bad, 'openapi: [3.1.0\n')
    expect(() => loadSpec(bad)).toThrow(/bad\.yaml is not valid YAML or JSON/)
  })

  it('keeps Ajv strict: a keyword outside JSON Schema 2020-12 and OpenAPI 3.1 is an error', () => {
    const document = parsedMini()
    document.components.schemas.Key.properties.card_name = { type: 'string', nullable: true }
    expect(() => loadSpec(document).validateResponse('getKey', 200, {})).toThrow(
      /cannot compile the schema .*unknown keyword: "nullable"/,
    )
    const formatted = parsedMini()
    formatted.components.schemas.Key.properties.inserted.format = 'unix-time'
    expect(() => loadSpec(formatted).validate('/components/schemas/Key', key)).toThrow(
      /unknown format "unix-time"/,
    )
  })

  it('fails loudly on a malformed keyword where the schema is compiled (no meta-schema pass)', () => {
    const listed = parsedMini()
    listed.components.schemas.Key.required = 'key_id'
    expect(() => loadSpec(listed).validate('/components/schemas/Key', key)).toThrow(
      /cannot compile the schema .*required value must be \["array"\]/,
    )
    const typo = parsedMini()
    typo.components.schemas.Key.properties.card_type.type = ['integr', 'null']
    expect(() =>
      loadSpec(typo).validateResponse('getKey', 200, { code: 0, response: key }),
    ).toThrow(/cannot compile the schema .*type must be JSONType/)
    const pattern = parsedMini()
    pattern.components.schemas.KeyId.pattern = '(unclosed'
    expect(() => loadSpec(pattern).validateRequest('getKey', { path: '/keys/k1' })).toThrow(
      /cannot compile the schema .*Invalid regular expression/,
    )
  })

  it('compiles a validator once per operation and part', () => {
    const compile = vi.spyOn(Ajv2020.prototype, 'compile')
    const spec = loadSpec(parsedMini())
    const body = { code: 0, message: null, response: key }
    for (let i = 0; i < 3; i++) {
      expect(spec.validateResponse('getKey', 200, body).valid).toBe(true)
      expect(spec.validateRequest('getKey', { path: '/keys/k1' }).valid).toBe(true)
    }
    // the response schema, then the path, query and header parameters
    expect(compile).toHaveBeenCalledTimes(4)
  })
})

describe('validateResponse', () => {
  it('accepts every branch of a oneOf, and nulls where the type allows them', () => {
    for (const response of [
      key,
      { ...key, card_name: null, card_type: null },
      { key_id: 'k2', channelGroupId: 'group' },
      null,
    ]) {
      expect(mini.validateResponse('getKey', 200, { code: 0, message: null, response })).toEqual({
        valid: true,
        errors: [],
      })
    }
  })

  it('points at a wrong type and says what the schema expects', () => {
    const result = mini.validateResponse('listKeys', 200, {
      code: 0,
      response: [key, { ...key, card_type: '1' }],
    })
    expect(result.valid).toBe(false)
    expect(result.errors).toContainEqual({
      pointer: '/response/1/card_type',
      message: 'must be integer or null',
      expected: { type: ['integer', 'null'] },
    })
    expect(formatErrors(result)).toContain(
      '/response/1/card_type: must be integer or null (expected type ["integer","null"])',
    )
  })

  it('points at a missing required field itself', () => {
    const { inserted: _, ...incomplete } = key
    const result = mini.validateResponse('getKey', 200, {
      code: 0,
      message: null,
      response: incomplete,
    })
    expect(result.errors).toContainEqual({
      pointer: '/response/inserted',
      message: 'is required but missing',
      expected: { required: ['key_id', 'card_name', 'card_type', 'inserted'] },
    })
    expect(result.errors).toContainEqual({
      pointer: '/response',
      message: 'must match exactly one schema in oneOf',
      expected: { oneOf: ['Key', 'SuperKey', 'null'] },
    })
  })

  it('reports only the oneOf branch the value got furthest into', () => {
    const body = { code: 0, message: null, response: { ...key, card_type: '1' } }
    expect(mini.validateResponse('getKey', 200, body).errors).toEqual([
      {
        pointer: '/response/card_type',
        message: 'must be integer or null',
        expected: { type: ['integer', 'null'] },
      },
      {
        pointer: '/response/card_type',
        message: 'must be equal to one of the allowed values',
        expected: { enum: [0, 1, null] },
      },
      {
        pointer: '/response',
        message: 'must match exactly one schema in oneOf',
        expected: { oneOf: ['Key', 'SuperKey', 'null'] },
      },
    ])
    // beside other keywords, a oneOf's branches cannot be told apart from them: all are reported
    const document = parsedMini()
    document.components.schemas.Envelope.properties.response.type = ['object', 'null']
    expect(pointers(loadSpec(document).validateResponse('getKey', 200, body))).toEqual([
      '/response/card_type',
      '/response/card_type',
      '/response/channelGroupId',
      '/response',
      '/response',
    ])
  })

  it('reports the oneOf branch its discriminator names, not one that differs only by it', () => {
    const document = parsedMini()
    const branch = (status: string, extra: string[]) => ({
      type: 'object',
      required: ['status', 'id', ...extra],
      properties: {
        status: { const: status },
        id: { type: 'string' },
        ...Object.fromEntries(extra.map((name) => [name, { type: 'string' }])),
      },
    })
    document.components.schemas.Envelope.properties.response = {
      oneOf: [branch('ISSUED', []), branch('DELETED', ['deletedAt'])],
    }
    const body = { code: 0, message: null, response: { status: 'DELETED', id: 'k1' } }
    // without the discriminator, ISSUED (one fault, one level deeper) would be reported
    expect(pointers(loadSpec(document).validateResponse('getKey', 200, body))).toEqual([
      '/response/deletedAt',
      '/response',
    ])
  })

  it('reports enum, format and range failures with the expected value', () => {
    const result = mini.validateResponse('getKey', 200, {
      code: 0,
      message: null,
      response: { ...key, card_type: 2, inserted: 1.5 },
    })
    expect(result.errors).toContainEqual({
      pointer: '/response/card_type',
      message: 'must be equal to one of the allowed values',
      expected: { enum: [0, 1, null] },
    })
    expect(pointers(result)).toContain('/response/inserted')
    const document = parsedMini()
    document.components.schemas.Error.properties.code.not = { const: 0 }
    expect(
      loadSpec(document).validateResponse('getKey', 404, { code: 0, message: '' }).errors,
    ).toEqual([
      { pointer: '/code', message: 'must not match this schema', expected: { not: { const: 0 } } },
    ])
    expect(mini.validateResponse('countKeys', 200, -1).errors).toEqual([
      { pointer: '', message: 'must be >= 0', expected: { minimum: 0 } },
    ])
  })

  it('picks the exact status, then the range, then default', () => {
    expect(mini.responseKey('listKeys', 200)).toBe('200')
    expect(mini.responseKey('listKeys', 207)).toBe('207')
    expect(mini.responseKey('listKeys', 404)).toBe('4XX')
    expect(mini.responseKey('listKeys', 500)).toBeUndefined()
    expect(mini.responseKey('getKey', 404)).toBe('404')
    expect(mini.responseKey('getKey', 503)).toBe('default')
    expect(mini.responseKey('issueKey', 201)).toBe('2XX')
    const partial = { code: 0, response: [key] }
    expect(mini.validateResponse('listKeys', 207, partial).valid).toBe(true)
    expect(mini.validateResponse('listKeys', 429, { code: -1, message: 'slow down' }).valid).toBe(
      true,
    )
    expect(pointers(mini.validateResponse('getKey', 503, { code: 'x', message: 'down' }))).toEqual([
      '/code',
    ])
  })

  it('treats an undocumented status as an error', () => {
    const result = mini.validateResponse('listKeys', 500, { code: -1, message: 'boom' })
    expect(result.errors).toEqual([
      {
        pointer: '',
        message: 'HTTP 500 is not a documented response of listKeys',
        expected: { status: ['200', '207', '4XX'] },
      },
    ])
    expect(formatErrors(result)).toBe(
      '/: HTTP 500 is not a documented response of listKeys (expected status ["200","207","4XX"])',
    )
  })

  it('accepts no body where none is documented, and only then', () => {
    expect(mini.validateResponse('deleteKey', 204, undefined).valid).toBe(true)
    expect(mini.validateResponse('deleteKey', 204, { deleted: true }).errors).toEqual([
      { pointer: '', message: 'must be empty: HTTP 204 documents no body' },
    ])
  })
})

describe('validateRequest', () => {
  const list = (query: string, headers: Record<string, string> = { 'x-tier': 'gold' }) =>
    mini.validateRequest('listKeys', { path: '/keys', query, headers })

  it.each([
    ['the repeated key', 'key_id[]=a&key_id[]=b'],
    ['percent-encoded brackets', 'key_id%5B%5D=a&key_id%5B%5D=b'],
    ['the indexed form', 'key_id[0]=a&key_id[1]=b'],
    ['the indexed form, encoded', 'key_id%5B0%5D=a&key_id%5B1%5D=b'],
    ['a single value', 'key_id[]=a&page=2'],
  ])('reads an array query parameter sent as %s', (_, query) => {
    expect(list(query)).toEqual({ valid: true, errors: [] })
  })

  it('checks each query value against the schema, coercing by type', () => {
    expect(pointers(list('key_id[]=a&key_id[]=toolong12'))).toEqual(['/query/key_id[]/1'])
    expect(list('key_id[]=a&page=abc').errors).toEqual([
      { pointer: '/query/page', message: 'must be integer', expected: { type: 'integer' } },
    ])
    expect(pointers(list('key_id[]=a&page=0'))).toEqual(['/query/page'])
    expect(pointers(list('key_id[]=a&page=1&page=2'))).toEqual(['/query/page'])
    expect(list('page=1').errors).toEqual([
      {
        pointer: '/query/key_id[]',
        message: 'is required but missing',
        expected: { required: ['key_id[]'] },
      },
    ])
  })

  it('rejects an undocumented query parameter', () => {
    expect(list('key_id[]=a&key_ids=b').errors).toEqual([
      {
        pointer: '/query/key_ids',
        message: 'is not documented here',
        expected: { properties: ['key_id[]', 'page'] },
      },
    ])
    expect(
      pointers(mini.validateRequest('countKeys', { path: '/keys/count', query: 'x=1' })),
    ).toEqual(['/query/x'])
  })

  it('matches header names case-insensitively and ignores Authorization', () => {
    expect(list('key_id[]=a', { 'X-TIER': 'gold' }).valid).toBe(true)
    expect(pointers(list('key_id[]=a', {}))).toEqual(['/headers/x-tier'])
    expect(pointers(list('key_id[]=a', { 'x-tier': 'g' }))).toEqual(['/headers/x-tier'])
  })

  it('decodes path parameters before validating them', () => {
    expect(mini.validateRequest('getKey', { path: '/keys/a%20b%2Fc' }).valid).toBe(true)
    expect(pointers(mini.validateRequest('getKey', { path: '/keys/a%20b%20c%20d%20e' }))).toEqual([
      '/path/key_id',
    ])
    for (const path of ['/keys/%E0%A4%A', '/keys', '/keys/a/b', '/other/a']) {
      expect(mini.validateRequest('getKey', { path }).errors).toEqual([
        expect.objectContaining({ pointer: '/path', expected: { path: '/keys/{key_id}' } }),
      ])
    }
  })

  it('validates a query parameter whose name has brackets', () => {
    const del = (query: string) => mini.validateRequest('deleteKey', { path: '/keys/k1', query })
    expect(del('reason=lost&extra[requester]=admin').valid).toBe(true)
    expect(del('extra%5Brequester%5D=bot').errors).toEqual([
      {
        pointer: '/query/extra[requester]',
        message: 'must be equal to one of the allowed values',
        expected: { enum: ['admin', 'customer'] },
      },
    ])
  })

  describe('bodies', () => {
    const issue = (body: unknown, headers?: Record<string, string>) =>
      mini.validateRequest('issueKey', { path: '/keys/k1', headers, body })
    const card = { card_number: '1234-1234-1234-1234', expiry: '2030-12' }
    const form = { 'content-type': 'application/x-www-form-urlencoded' }

    it('validates a JSON body as sent, without coercion', () => {
      expect(issue({ ...card, quota: 3 }).valid).toBe(true)
      expect(
        issue({ ...card, quota: 3 }, { 'Content-Type': 'application/json; charset=utf-8' }).valid,
      ).toBe(true)
      expect(issue({ ...card, quota: '3' }).errors).toEqual([
        { pointer: '/body/quota', message: 'must be integer', expected: { type: 'integer' } },
      ])
      expect(pointers(issue({ expiry: '2030-12' }))).toEqual(['/body/card_number'])
      expect(issue({ ...card, cvc: '123' }).errors).toEqual([
        {
          pointer: '/body/cvc',
          message: 'is not documented here',
          expected: { properties: ['card_number', 'expiry', 'quota'] },
        },
      ])
    })

    it('validates a form body, as the encoded string or as fields', () => {
      const encoded = 'card_number=1234-1234-1234-1234&expiry=2030-12&quota=3'
      expect(issue(encoded, form).valid).toBe(true)
      expect(issue({ ...card, quota: '3' }, form).valid).toBe(true)
      expect(pointers(issue(`${encoded}x`, form))).toEqual(['/body/quota'])
    })

    it('requires a documented content type and a required body', () => {
      expect(issue(card, { 'content-type': 'text/plain' }).errors).toEqual([
        {
          pointer: '/headers/content-type',
          message: 'text/plain is not a documented request content type',
          expected: { content: ['application/json', 'application/x-www-form-urlencoded'] },
        },
      ])
      expect(issue(undefined).errors).toEqual([
        { pointer: '/body', message: 'is required but missing' },
      ])
      expect(mini.validateRequest('countKeys', { path: '/keys/count', body: {} }).errors).toEqual([
        { pointer: '/body', message: 'must be absent: the operation documents no request body' },
      ])
    })
  })
})

describe('validate', () => {
  it('validates a value against any schema of the document by JSON pointer', () => {
    expect(mini.validate('/components/schemas/Key', key).valid).toBe(true)
    expect(pointers(mini.validate('/components/schemas/Key', { ...key, key_id: '' }))).toEqual([
      '/key_id',
    ])
    expect(() => mini.validate('/components/schemas/Nope', key)).toThrow(
      'Nothing at /components/schemas/Nope',
    )
  })
})

describe('match', () => {
  it('routes a request to its operation and decodes the path parameters', () => {
    expect(mini.match('GET', '/keys/a%2Fb')).toEqual({
      operation: mini.operation('getKey'),
      params: { key_id: 'a/b' },
    })
    expect(mini.match('post', '/keys/k1')?.operation.operationId).toBe('issueKey')
    expect(mini.match('GET', '/keys')?.params).toEqual({})
  })

  it('prefers a concrete path to a template that also matches', () => {
    expect(mini.match('GET', '/keys/count')?.operation.operationId).toBe('countKeys')
  })

  it('answers undefined for an unknown method, path or undecodable id', () => {
    expect(mini.match('PUT', '/keys/k1')).toBeUndefined()
    expect(mini.match('GET', '/nope')).toBeUndefined()
    expect(mini.match('GET', '/keys/%E0%A4%A')).toBeUndefined()
  })
})
