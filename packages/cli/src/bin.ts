#!/usr/bin/env node
import { setMaxListeners } from 'node:events'
import { EXIT } from './errors'
import { run } from './run'

// The first SIGINT/SIGTERM stops the run cleanly (lookups aborted, the sandbox closed, the exit
// code set); a second one ends the process at once.
// `billingkey audit … | head` closes stdout early: stop writing, but finish the run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

const controller = new AbortController()
// One signal for the whole run: every request in flight (and every call waiting for a token)
// listens to it until it settles, so more than Node's default of 10 at once is no leak.
setMaxListeners(0, controller.signal)
const stop = () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted)
  controller.abort()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

const code = await run(process.argv.slice(2), { signal: controller.signal })
// After an interrupt nothing is left to report; don't wait for requests that ignore the abort.
if (code === EXIT.interrupted) process.exit(code)
process.exitCode = code
process.off('SIGINT', stop)
process.off('SIGTERM', stop)
