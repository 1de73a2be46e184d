#!/usr/bin/env node
import { EXIT } from './errors'
import { run } from './run'

// The first SIGINT/SIGTERM stops the run cleanly (lookups aborted, the sandbox closed, the exit
// code set); a second one ends the process at once.
// `billingkey audit … | head` closes stdout early: stop writing, but finish the run.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

const controller = new AbortController()
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
