import { defineConfig } from 'vitest/config'

// The NAT lab: real network namespaces, NAT routers, relays with TURN, hosts and Chromium inside
// them (test/nat). Needs root; skips with a printed reason where it cannot run. One file at a time.
export default defineConfig({
  test: {
    include: ['test/nat/**/*.nat.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    // A lab teardown stops hosts (up to 35 s each, in parallel), browsers, relays and captures.
    hookTimeout: 120_000,
    fileParallelism: false,
    globalSetup: ['./test/support/e2e-global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts']
  }
})
