import { rmSync } from 'node:fs'
import type { Server } from 'node:http'
import type { BrowserContext } from 'playwright-core'

/**
 * Closes what the browser test's setup got as far as starting. A setup that failed half-way (no
 * Chromium, no docs/dist) leaves some of these undefined; each is skipped then, so the suite fails
 * at once with the setup's error instead of waiting out the hook timeout.
 */
export async function stopSite(started: {
  context?: BrowserContext | undefined
  server?: Server | undefined
  userDataDir?: string | undefined
}): Promise<void> {
  const { context, server, userDataDir } = started
  await context?.close()
  if (server?.listening) {
    await new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())))
  }
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
}
