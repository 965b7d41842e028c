import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../support/host-process'

// The lint:electron gate itself: it passes our source and fails an insecure window.
const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-eneg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function lint(input: string) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/lint-electron.mjs'), input], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000
  })
}

describe('lint:electron (electronegativity)', () => {
  it('fails on a window without context isolation and with no navigation limits', () => {
    writeFileSync(
      path.join(dir, 'bad-window.ts'),
      "import { BrowserWindow } from 'electron'\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } })\n"
    )
    const result = lint(dir)
    expect(result.status, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toMatch(/HIGH\s+\S+\s+CONTEXT_ISOLATION_JS_CHECK bad-window.ts:2/)
    expect(result.stdout).toMatch(/HIGH\s+\S+\s+LIMIT_NAVIGATION_GLOBAL_CHECK/)
  }, 60_000)

  it('passes the app source with every finding justified', () => {
    const result = lint(path.join(REPO_ROOT, 'src'))
    expect(result.status, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('0 high or critical')
    expect(result.stdout).not.toContain('not yet justified')
  }, 60_000)
})
