import { app, BrowserWindow, session } from 'electron'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCore, type Core } from './core/core'
import { defaultRecordingsFolder } from './core/recorder/recordings-folder'
import { registerAppScheme, serveRenderer } from './electron/app-protocol'
import { electronDesktopActions } from './electron/desktop-actions'
import { bindContractToIpc } from './electron/ipc'
import { createMainWindow } from './electron/main-window'
import { lockDownSession } from './electron/security'

/**
 * The Electron main process: windows, IPC and OS integration only. Everything the app does
 * lives in the core, which the headless host runs too.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.resolve(here, '..')

registerAppScheme()

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  let core: Core | null = null
  let mainWindow: BrowserWindow | null = null

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
  })

  void app.whenReady().then(async () => {
    lockDownSession(session.defaultSession)
    serveRenderer(path.join(outDir, 'renderer'))
    const recordingsFolder =
      process.env.DYM_RECORDINGS_DIR ?? defaultRecordingsFolder({ appRoot: path.resolve(outDir, '..'), packaged: app.isPackaged, videosDir: app.getPath('videos') })
    core = await startCore({
      dataDir: process.env.DYM_DATA_DIR ?? app.getPath('userData'),
      hostKind: 'electron',
      recorder: { folder: recordingsFolder, desktop: electronDesktopActions }
    })
    bindContractToIpc(core, () => BrowserWindow.getAllWindows().map((w) => w.webContents))
    mainWindow = createMainWindow(path.join(outDir, 'preload', 'index.cjs'))
    mainWindow.on('closed', () => (mainWindow = null))
  })

  app.on('window-all-closed', () => app.quit())

  let stopping = false
  app.on('before-quit', (event) => {
    if (!core || stopping) return
    // Leave meetings and finish recordings before the process goes.
    event.preventDefault()
    stopping = true
    void core.stop().finally(() => app.quit())
  })
}
