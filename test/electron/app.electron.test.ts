import type { ElectronApplication } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { electronSkipReason, launchDesktopApp } from '../support/electron'
import { makeTempDir, removeDir } from '../support/host-process'

// Runs the real desktop app where an Electron binary exists; here it prints why it is skipped.
const skip = electronSkipReason()
let app: ElectronApplication | null = null
let dataDir = ''

afterEach(async () => {
  await app?.close()
  app = null
  if (dataDir) removeDir(dataDir)
  dataDir = ''
})

describe.skipIf(skip !== null)('Electron app: launch and hardening', () => {
  it('launches hardened, exposes only window.dym, and shows its own data dir', async () => {
    dataDir = makeTempDir('dym-electron-')
    const launched = await launchDesktopApp({ dataDir })
    app = launched.app
    const page = launched.page
    await expect.poll(() => page.getByTestId('app-data-dir').textContent(), { timeout: 20_000 }).toBe(dataDir)
    // No Node in the page: only window.dym, with its two functions.
    const exposed = await page.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>
      return { dym: Object.keys(g.dym as object).sort(), require: typeof g.require, process: typeof g.process, ipc: typeof g.ipcRenderer }
    })
    expect(exposed).toEqual({ dym: ['invoke', 'on'], require: 'undefined', process: 'undefined', ipc: 'undefined' })
    // Navigation away from the app and new windows are refused.
    await page.evaluate(() => ((globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/'))
    expect(page.url()).toMatch(/^app:\/\/dym\//)
    await page.evaluate(() => (globalThis as unknown as { open: (u: string) => unknown }).open('app://dym/index.html'))
    expect(app.windows()).toHaveLength(1)
    // Camera/microphone for our page only: a permission query from the page says granted.
    const camera = await page.evaluate(
      async () =>
        (
          await (
            globalThis as unknown as { navigator: { permissions: { query: (q: object) => Promise<{ state: string }> } } }
          ).navigator.permissions.query({ name: 'camera' })
        ).state
    )
    expect(camera).toBe('granted')
  })

  it('reopens the window where it was left', async () => {
    dataDir = makeTempDir('dym-electron-')
    let launched = await launchDesktopApp({ dataDir })
    app = launched.app
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.setBounds({ x: 40, y: 50, width: 900, height: 640 }))
    await app.close()
    launched = await launchDesktopApp({ dataDir })
    app = launched.app
    await expect
      .poll(() => app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.getBounds()), { timeout: 20_000 })
      .toMatchObject({ width: 900, height: 640 })
  })

  it('has the application menu with the meeting shortcuts', async () => {
    dataDir = makeTempDir('dym-electron-')
    app = (await launchDesktopApp({ dataDir })).app
    const items = await app.evaluate(({ Menu }) => {
      const ids = ['toggle-mute', 'toggle-camera', 'share-screen', 'raise-hand', 'toggle-chat', 'leave-meeting', 'show-shortcuts']
      return ids.map((id) => {
        const item = Menu.getApplicationMenu()?.getMenuItemById(id)
        return item ? { id, accelerator: item.accelerator, enabled: item.enabled } : { id, missing: true }
      })
    })
    expect(items).toContainEqual({ id: 'toggle-mute', accelerator: 'CmdOrCtrl+Shift+M', enabled: false })
    expect(items).toContainEqual({ id: 'show-shortcuts', accelerator: 'CmdOrCtrl+/', enabled: true })
  })
})
