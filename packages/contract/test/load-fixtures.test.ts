import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadFixtures } from '../src/index'

const scratch = mkdtempSync(join(tmpdir(), 'contract-fixtures-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const fixture = {
  _meta: { case: 'one key', provenance: 'constructed from the schema' },
  operationId: 'getKey',
  request: {
    method: 'GET',
    path: '/keys/k1',
    query: 'page=1',
    headers: { authorization: 'Bearer <access_token>' },
  },
  response: { status: 200, body: { code: 0 } },
  client: { call: 'getKey', args: ['k1'], expect: { value: true } },
}

function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(scratch, name)
  mkdirSync(dir)
  for (const [file, content] of Object.entries(files)) {
    writeFileSync(join(dir, file), typeof content === 'string' ? content : JSON.stringify(content))
  }
  return dir
}

describe('loadFixtures', () => {
  it('loads every *.json in file-name order, naming each file', () => {
    const dir = folder('good', {
      'b.json': { ...fixture, client: undefined },
      'a.json': fixture,
      'README.md': '# not a fixture',
    })
    const fixtures = loadFixtures(dir)
    expect(fixtures.map((f) => f.file)).toEqual(['a.json', 'b.json'])
    expect(fixtures[0]).toEqual({ file: 'a.json', ...fixture })
    expect(loadFixtures(pathToFileURL(dir))).toEqual(fixtures)
  })

  it('returns an empty list for an empty folder (the suites decide that is a failure)', () => {
    expect(loadFixtures(folder('empty', {}))).toEqual([])
  })

  it('names every file that is not JSON or not a fixture, with the pointer and the expected shape', () => {
    const dir = folder('bad', {
      'ok.json': fixture,
      'broken.json': '{ "operationId": ',
      'shape.json': {
        ...fixture,
        request: { ...fixture.request, rawQuery: 'a=1', headers: { Authorization: 'x' } },
        response: { status: '4xx (unconfirmed)', body: {} },
        client: { call: 'getKey', args: [], expect: { value: false } },
      },
      'meta.json': { ...fixture, _meta: { case: 'no provenance' } },
    })
    let message = ''
    try {
      loadFixtures(dir)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/broken\.json: not valid JSON/)
    expect(message).toContain(`${join(dir, 'meta.json')} is not a fixture:`)
    expect(message).toContain(
      '  /_meta/provenance: is required but missing (expected required ["case","provenance"])',
    )
    expect(message).toContain(`${join(dir, 'shape.json')} is not a fixture:`)
    for (const line of [
      '/request/rawQuery: is not documented here',
      '/request/headers/Authorization: must match pattern "^[a-z0-9-]+$" (expected pattern "^[a-z0-9-]+$")',
      '/request/headers/Authorization: property name must be valid',
      '/response/status: must be integer',
      '/client/expect/value: must be equal to constant (expected const true)',
    ]) {
      expect(message).toContain(line)
    }
    expect(message).not.toContain('ok.json')
  })

  it('rejects a query with its leading "?" and a path with a query in it', () => {
    const dir = folder('wire', {
      'q.json': { ...fixture, request: { ...fixture.request, query: '?page=1' } },
      'p.json': { ...fixture, request: { ...fixture.request, path: '/keys?page=1' } },
    })
    expect(() => loadFixtures(dir)).toThrow(
      /\/request\/path: must match pattern[\s\S]*\/request\/query/,
    )
  })

  it('names a folder that does not exist', () => {
    expect(() => loadFixtures(join(scratch, 'nope'))).toThrow(/ENOENT.*nope/)
  })
})
