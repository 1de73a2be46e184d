import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError, UsageError } from '../src/errors'
import { openState } from '../src/state'
import type { AuditedRow } from '../src/stream-report'
import { scratch } from './helpers'

const now = new Date('2026-05-01T00:00:00.000Z')
const row = (line: number): AuditedRow => ({
  line,
  ref: { provider: 'iamport', customerUid: `c${line}` },
  status: 'active',
})

async function settled(state: Awaited<ReturnType<typeof openState>>): Promise<AuditedRow[]> {
  const rows: AuditedRow[] = []
  for await (const item of state.settled()) rows.push(item)
  return rows
}

describe('openState', () => {
  it('starts a new audit, then resumes it with its instant and window', async () => {
    const dir = scratch()
    const first = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: 7,
      now,
    })
    expect(first.settledCount).toBe(0)
    await first.append([row(2), row(3)])
    await first.close()

    const again = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: undefined,
      now: new Date(),
    })
    expect(again.checkedAt).toEqual(now)
    expect(again.expiringWithinDays).toBe(7)
    expect(again.settledCount).toBe(2)
    expect(await settled(again)).toEqual([row(2), row(3)])
    await again.close()
  })

  it('drops a last line cut short by a crash and appends after the last whole line', async () => {
    const dir = scratch()
    const state = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: undefined,
      now,
    })
    await state.append([row(2)])
    await state.close()
    appendFileSync(join(dir, 's.jsonl'), '{"line":3,"ref":{"provider":"iam')

    const resumed = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: undefined,
      now,
    })
    expect(resumed.settledCount).toBe(1)
    expect(await settled(resumed)).toEqual([row(2)])
    await resumed.append([row(3)])
    await resumed.close()
    const last = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: undefined,
      now,
    })
    expect(await settled(last)).toEqual([row(2), row(3)])
    await last.close()
    const lines = readFileSync(join(dir, 's.jsonl'), 'utf8').split('\n')
    expect(lines).toHaveLength(4) // header, two rows, and the empty string after the last LF
  })

  it('refuses the state of another input, another window, or a file that is not a state', async () => {
    const dir = scratch()
    const state = await openState('s.jsonl', dir, {
      input: 'keys.csv',
      expiringWithinDays: 30,
      now,
    })
    await state.close()
    const open = (input: string, expiringWithinDays?: number, path = 's.jsonl') =>
      openState(path, dir, { input, expiringWithinDays, now })
    await expect(open('other.csv')).rejects.toThrow(InputError)
    await expect(open('other.csv')).rejects.toThrow(/is the state of an audit of .*keys\.csv/)
    await expect(open('keys.csv', 60)).rejects.toThrow(UsageError)
    writeFileSync(join(dir, 'not.jsonl'), '{"line":2}\n')
    await expect(open('keys.csv', undefined, 'not.jsonl')).rejects.toThrow(
      'not.jsonl is not a billingkey audit state file',
    )
    writeFileSync(join(dir, 'broken.jsonl'), `${readFileSync(join(dir, 's.jsonl'))}oops\n{}\n`)
    await expect(open('keys.csv', undefined, 'broken.jsonl')).rejects.toThrow(
      'broken.jsonl is not a billingkey audit state file (line 2)',
    )
  })
})
