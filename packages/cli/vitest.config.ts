import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared'

// The end-to-end tests run the built bin and start sandboxes: seconds each, not milliseconds.
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } }),
)
