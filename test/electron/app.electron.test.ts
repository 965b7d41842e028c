import { _electron as electron, type ElectronApplication } from 'playwright-core'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { electronBinary, electronSkipReason } from '../support/electron'
import { makeTempDir, removeDir, REPO_ROOT } from '../support/host-process'

// Runs the real desktop app where an Electron binary exists; here it prints why it is skipped.
const skip = electronSkipReason()
let app: ElectronApplication | null = null
let dataDir = ''

afterEach(async () => {
  await app?.close()
  app = null
  if (dataDir) removeDir(dataDir)
})

describe.skipIf(skip !== null)('Electron app', () => {
  it('launches hardened, exposes only window.dym, and shows its own data dir', async () => {
    const binary = electronBinary()
    if (!('path' in binary)) throw new Error('unreachable')
    dataDir = makeTempDir('dym-electron-')
    app = await electron.launch({ executablePath: binary.path, args: [path.join(REPO_ROOT, 'out/main/index.js')], env: { ...process.env, DYM_DATA_DIR: dataDir } })
    const page = await app.firstWindow()
    await expect.poll(() => page.getByTestId('app-data-dir').textContent(), { timeout: 20_000 }).toBe(dataDir)
    // No Node in the page: only window.dym, with its two functions.
    const exposed = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>
      return { dym: Object.keys(g.dym as object).sort(), require: typeof g.require, process: typeof g.process, ipc: typeof g.ipcRenderer }
    })
    expect(exposed).toEqual({ dym: ['invoke', 'on'], require: 'undefined', process: 'undefined', ipc: 'undefined' })
    // Navigation away from the app is refused.
    await page.evaluate(() => ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'))
    expect(page.url()).toMatch(/^app:\/\/dym\//)
  })
})
