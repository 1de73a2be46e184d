import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../vitest.shared'

// The browser test starts Chromium and the changelog tests run git: give them room, and run the
// files one after another so that one Chromium at a time shares the machine.
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } }),
)
