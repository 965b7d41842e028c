import { _electron as electron, type ElectronApplication } from 'playwright-core'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { electronBinary, electronSkipReason } from '../support/electron'
import { makeTempDir, removeDir, REPO_ROOT } from '../support/host-process'
import { standinSettings, writeHostSettings } from '../support/settings'
import { startThreefoldStandin, type ThreefoldStandin } from '../support/threefold-standin/server'

// The ThreeFold Connect login window of the desktop app, against the local stand-in: its login
// page answers at once as an approving (or cancelling) phone would, with a redirect to
// https://digitalyou.meet/..., which the window must catch before it leaves.
// Here (no Electron binary) it prints why it is skipped; the plain functions behind it are
// covered by test/unit/identity/threefold-connect.test.ts and identity-service.test.ts.
const skip = electronSkipReason()
let app: ElectronApplication | null = null
let dataDir = ''
let standin: ThreefoldStandin | null = null

beforeAll(async () => {
  if (skip === null) standin = await startThreefoldStandin()
})
afterAll(async () => standin?.close())
afterEach(async () => {
  await app?.close()
  app = null
  if (dataDir) removeDir(dataDir)
})

async function launch() {
  const binary = electronBinary()
  if (!('path' in binary) || !standin) throw new Error('unreachable')
  dataDir = makeTempDir('dym-electron-login-')
  writeHostSettings(dataDir, standinSettings(standin.url))
  app = await electron.launch({
    executablePath: binary.path,
    args: [path.join(REPO_ROOT, 'out/main/index.js')],
    env: { ...process.env, DYM_DATA_DIR: dataDir }
  })
  return app.firstWindow()
}

describe.skipIf(skip !== null)('Electron: Sign in with ThreeFold Connect', () => {
  it('approved on the phone: the window catches the redirect, closes, and the profile shows alice.3bot verified', async () => {
    standin?.setLoginAnswer({ kind: 'approve', as: 'alice.3bot' })
    const page = await launch()
    await page.getByRole('button', { name: 'Sign in with ThreeFold Connect' }).click()
    await page.getByRole('button', { name: 'alice.3bot (verified)', exact: true }).waitFor({ timeout: 30_000 })
    // Only the main window is left: the login window closed itself.
    expect(app?.windows()).toHaveLength(1)
  })

  it('cancelled on the phone: a clear message, still signed out', async () => {
    standin?.setLoginAnswer({ kind: 'cancel' })
    const page = await launch()
    await page.getByRole('button', { name: 'Sign in with ThreeFold Connect' }).click()
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 })
      .toBe('The login was cancelled in ThreeFold Connect.')
    expect(await page.getByTestId('identity-button').count()).toBe(0)
  })
})
