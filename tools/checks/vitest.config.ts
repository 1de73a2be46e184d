import { defineConfig, mergeConfig } from 'vitest/config'
import shared from '../../vitest.shared'

// Packing, installing and bundling take seconds each; run the files one after another.
export default mergeConfig(
  shared,
  defineConfig({ test: { testTimeout: 180_000, hookTimeout: 300_000, fileParallelism: false } }),
)
