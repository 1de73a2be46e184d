import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared'

// Every case here runs hundreds or thousands of charges through the sandbox: under CI's load
// (2 shared cores, other packages testing beside it) one case has taken 18 s on this machine and
// more elsewhere, over the shared 30 s. A hang still fails, at 4 minutes.
export default mergeConfig(shared, defineConfig({ test: { testTimeout: 240_000 } }))
