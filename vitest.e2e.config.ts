import { defineConfig } from 'vitest/config'

// End-to-end: built app, real headless hosts, real Chromium. One file at a time: 2 cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts', 'test/electron/**/*.electron.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    globalSetup: ['./test/support/e2e-global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts']
  }
})
