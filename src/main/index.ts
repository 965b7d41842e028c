import { app, session, type BrowserWindow } from 'electron'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEEP_LINK_SCHEME } from '../shared/deep-link'
import { startCore, type Core } from './core/core'
import { createLogger } from './core/log'
import { defaultRecordingsFolder } from './core/recorder/recordings-folder'
import { installAppMenu } from './electron/app-menu'
import { registerAppScheme, serveRenderer } from './electron/app-protocol'
import { settleWithin } from './electron/bounded'
import { DeepLinkRouter } from './electron/deep-link-router'
import { electronDesktopActions } from './electron/desktop-actions'
import { followCallActivity } from './electron/desktop-habits'
import { bindContractToIpc } from './electron/ipc'
import { electronLoginWindow } from './electron/login-window'
import { createMainWindow, focusWindow } from './electron/main-window'
import { safeStorageCodec } from './electron/safe-storage-codec'
import { handleDisplayMediaRequests } from './electron/screen-share'
import { denyByDefault, lockDownSession } from './electron/security'

/**
 * The Electron main process: windows, IPC and OS integration only. Everything the app does
 * lives in the core, which the headless host runs too; the shell plugs into the core's
 * desktop broker (core.desktop) for links, the screen picker and the login window.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.resolve(here, '..')
const log = createLogger('shell')
/** How long quitting waits for the core to leave the meeting and finish a recording. */
const QUIT_TIMEOUT_MS = 8_000
const APP_USER_MODEL_ID = 'io.threefold.digitalyoumeet'

// Every renderer sandboxed, whatever a window's options say; app:// registered before ready.
app.enableSandbox()
registerAppScheme()
// A separate data dir (tests, a second profile) is a separate app instance: Chromium's profile
// and the single-instance lock live in userData, so it follows DYM_DATA_DIR.
if (process.env.DYM_DATA_DIR) app.setPath('userData', path.resolve(process.env.DYM_DATA_DIR))

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our argv (with any dym:// link) as `second-instance`.
  app.quit()
} else {
  runShell()
}

function runShell(): void {
  let core: Core | null = null
  let mainWindow: BrowserWindow | null = null
  const links = new DeepLinkRouter()
  const dataDir = app.getPath('userData')

  registerProtocolClient()
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID)

  // Windows and Linux: the link that started us is in our own argv.
  links.receive(process.argv)
  // macOS: links come as open-url, possibly before `ready`, so this is registered first.
  app.on('open-url', (event, url) => {
    event.preventDefault()
    links.receive(url)
    focusWindow(mainWindow)
  })
  app.on('second-instance', (_event, argv) => {
    links.receive(argv)
    focusWindow(mainWindow)
  })
  app.on('web-contents-created', (_event, contents) => denyByDefault(contents))

  void app.whenReady().then(async () => {
    lockDownSession(session.defaultSession)
    serveRenderer(path.join(outDir, 'renderer'))
    // What the identity service asks of the desktop host (CoreOptions.loginWindow and
    // keyCodec, src/main/core/identity/): the ThreeFold Connect login window, and the OS
    // keychain for the device key.
    const keyCodec = safeStorageCodec()
    const identityPorts = { loginWindow: electronLoginWindow(() => mainWindow), ...(keyCodec ? { keyCodec } : {}) }
    const recordingsFolder =
      process.env.DYM_RECORDINGS_DIR ??
      defaultRecordingsFolder({ appRoot: path.resolve(outDir, '..'), packaged: app.isPackaged, videosDir: app.getPath('videos') })
    const started = await startCore({
      dataDir,
      hostKind: 'electron',
      ...identityPorts,
      recorder: { folder: recordingsFolder, desktop: electronDesktopActions },
      downloadsFolder: process.env.DYM_DOWNLOADS_DIR ?? app.getPath('downloads')
    })
    core = started
    handleDisplayMediaRequests(session.defaultSession, started.desktop, log)
    bindContractToIpc(started, () => (mainWindow && !mainWindow.isDestroyed() ? [mainWindow.webContents] : []))
    installAppMenu((command) => started.desktop.menuCommand(command))
    mainWindow = createMainWindow(path.join(outDir, 'preload', 'index.cjs'), dataDir)
    mainWindow.on('closed', () => (mainWindow = null))
    followCallActivity(started, () => mainWindow)
    links.attach(started.desktop)
  })

  app.on('window-all-closed', () => app.quit())

  // A clean quit: leave the meeting and finish a running recording (the core's services do
  // both in stop()), but never hang the quit on a core that cannot finish.
  let quitting: 'no' | 'stopping' | 'done' = 'no'
  app.on('before-quit', (event) => {
    if (!core || quitting === 'done') return
    event.preventDefault()
    if (quitting === 'stopping') return
    quitting = 'stopping'
    void settleWithin(core.stop(), QUIT_TIMEOUT_MS).then((result) => {
      if (result !== 'done') log.warn(`core did not stop cleanly (${result}); quitting anyway`)
      quitting = 'done'
      app.quit()
    })
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
}

/**
 * Make the OS open dym:// links with this app. Installers register it too (electron-builder
 * `protocols`); at run time this covers portable builds. A development build registers only
 * when asked (DYM_REGISTER_PROTOCOL=1): it would point the OS at a checkout.
 */
function registerProtocolClient(): void {
  if (app.isPackaged) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME)
  } else if (process.env.DYM_REGISTER_PROTOCOL === '1' && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(process.argv[1])])
  }
}
