#!/usr/bin/env node
import { run } from './run'

// The first SIGINT/SIGTERM stops the run cleanly (in-flight requests aborted, the sandbox closed);
// a second one ends the process at once.
const controller = new AbortController()
const stop = () => {
  if (controller.signal.aborted) process.exit(130)
  controller.abort()
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

process.exitCode = await run(process.argv.slice(2), { signal: controller.signal })
process.off('SIGINT', stop)
process.off('SIGTERM', stop)
