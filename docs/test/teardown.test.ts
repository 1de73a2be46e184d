import { existsSync, mkdtempSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stopSite } from './teardown'

// The browser test's afterAll once waited forever (until the 120 s hook timeout) when its setup
// had failed before starting the server: `server?.close(done)` never called `done`.
describe('stopSite', () => {
  it('resolves when setup failed before starting anything', async () => {
    await expect(stopSite({})).resolves.toBeUndefined()
  })

  it('resolves when setup failed after creating a server that never listened', async () => {
    await expect(stopSite({ server: createServer() })).resolves.toBeUndefined()
  })

  it('closes a listening server and removes the profile directory', async () => {
    const server = createServer()
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    const userDataDir = mkdtempSync(join(tmpdir(), 'billingkey-docs-teardown-'))
    await stopSite({ server, userDataDir })
    expect(server.listening).toBe(false)
    expect(existsSync(userDataDir)).toBe(false)
  })
})
