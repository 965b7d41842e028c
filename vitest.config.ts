import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

// Unit tests: plain functions, services, real libp2p nodes and servers on loopback. No browser.
export default defineConfig({
  define: { __DYM_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default', './test/support/summary-reporter.ts']
  }
})
