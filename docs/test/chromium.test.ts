import { describe, expect, it } from 'vitest'
import { CHROMIUM_PATH, chromiumPlan } from '../scripts/chromium.mjs'

const fresh = { chromium: false, aptGet: true, root: false, sudo: false }

describe('chromiumPlan (what the docs test task does about Chromium)', () => {
  it('does nothing when Chromium is there', () => {
    expect(chromiumPlan({ ...fresh, chromium: true })).toEqual({ action: 'none' })
  })

  it('installs Debian’s chromium with apt-get as root', () => {
    expect(chromiumPlan({ ...fresh, root: true })).toEqual({
      action: 'install',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
    })
  })

  it('goes through non-interactive sudo when not root', () => {
    const plan = chromiumPlan({ ...fresh, sudo: true })
    expect(plan.action).toBe('install')
    if (plan.action !== 'install') return
    for (const command of plan.commands) expect(command.slice(0, 2)).toEqual(['sudo', '-n'])
    expect(plan.commands.at(-1)?.at(-1)).toBe('chromium')
  })

  it('fails with the install command when it cannot install', () => {
    for (const machine of [fresh, { ...fresh, aptGet: false, root: true }]) {
      const plan = chromiumPlan(machine)
      expect(plan.action).toBe('fail')
      if (plan.action !== 'fail') return
      expect(plan.message).toContain(CHROMIUM_PATH)
      expect(plan.message).toContain('apt-get install chromium')
    }
  })
})
