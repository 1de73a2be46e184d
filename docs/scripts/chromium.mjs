// Provides the Chromium the docs browser test drives: Debian's `chromium` package at
// /usr/bin/chromium. The docs test task runs this before vitest (`pnpm test` on a fresh machine,
// and `.ci/run`, which runs `pnpm test`): when Chromium is missing it installs it with apt-get as
// root or through passwordless sudo; when it cannot, it says why and what to run, and the browser
// test then fails at once with the same words (never skipped).
import { spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export const INSTALL_HINT = `Chromium is not installed at ${CHROMIUM_PATH}. Install Debian's package: sudo apt-get install chromium (the docs test task tries this itself when it runs as root or with passwordless sudo).`

/**
 * What to do about Chromium on this machine: nothing, run these commands, or fail with a message.
 * `machine` says what is there: Chromium, apt-get, the user id, and whether `sudo -n` works.
 * @param {{ chromium: boolean, aptGet: boolean, root: boolean, sudo: boolean }} machine
 * @returns {{ action: 'none' } | { action: 'install', commands: string[][] } | { action: 'fail', message: string }}
 */
export function chromiumPlan(machine) {
  if (machine.chromium) return { action: 'none' }
  if (!machine.aptGet) {
    return { action: 'fail', message: `${INSTALL_HINT} This machine has no apt-get.` }
  }
  if (!machine.root && !machine.sudo) {
    return {
      action: 'fail',
      message: `${INSTALL_HINT} Not root, and sudo is missing or asks for a password.`,
    }
  }
  // `sudo -n` never prompts: a sudo that wants a password fails at once instead of hanging.
  const prefix = machine.root ? [] : ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive']
  return {
    action: 'install',
    commands: [
      [...prefix, 'apt-get', 'update', '-qq'],
      [...prefix, 'apt-get', 'install', '-y', '-qq', 'chromium'],
    ],
  }
}

/** Whether an executable named `name` is on PATH. @param {string} name */
function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

function inspectMachine() {
  const root = process.getuid?.() === 0
  return {
    chromium: existsSync(CHROMIUM_PATH),
    aptGet: onPath('apt-get'),
    root,
    sudo: !root && onPath('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0,
  }
}

/**
 * Installs Chromium when missing and possible; returns whether it is there afterwards.
 * @param {(line: string) => void} log
 */
export function ensureChromium(log = (line) => console.error(line)) {
  const plan = chromiumPlan(inspectMachine())
  if (plan.action === 'none') return true
  if (plan.action === 'fail') {
    log(`docs: ${plan.message}`)
    return false
  }
  log(
    `docs: installing Debian's chromium for the browser test (${plan.commands.at(-1)?.join(' ')})`,
  )
  for (const [command = 'apt-get', ...args] of plan.commands) {
    const result = spawnSync(command, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (result.status !== 0) {
      log(`docs: \`${[command, ...args].join(' ')}\` failed; ${INSTALL_HINT}`)
      return false
    }
  }
  return existsSync(CHROMIUM_PATH)
}

// Run as a script: never fails the task itself, so the other docs tests still run and report;
// the browser test fails on its own with the message above.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) ensureChromium()
