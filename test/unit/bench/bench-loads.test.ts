import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../support/host-process'

describe('npm run bench', () => {
  it('loads every scenario outside the test runner, and names them when asked for one it does not have', () => {
    // A scenario that imports vitest (through a shared test step) would stop every bench at load.
    const viteNode = path.join(REPO_ROOT, 'node_modules', '.bin', 'vite-node')
    const run = spawnSync(viteNode, ['bench/run.ts', '--', 'no-such-scenario'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 90_000 })
    expect(run.stderr).toMatch(/bench: no scenario named no-such-scenario; the scenarios are startup, .*recording-paths/)
    expect(run.status).toBe(2)
  }, 120_000)
})
