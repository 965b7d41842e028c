import { BrowserWindow } from 'electron'
import { APP_ORIGIN } from '../../shared/security/policy'
import { lockDownContents } from './security'
import { loadPlacement, rememberPlacement } from './window-state'

const DEFAULTS = { width: 1280, height: 800, minWidth: 720, minHeight: 480 }

/**
 * The hardened main window: isolated, sandboxed, no Node in the page, only window.dym; it
 * opens where the user left it (window-state.ts) and remembers size and position.
 */
export function createMainWindow(preloadPath: string, dataDir: string): BrowserWindow {
  const placement = loadPlacement(dataDir, DEFAULTS)
  const win = new BrowserWindow({
    ...placement.bounds,
    minWidth: DEFAULTS.minWidth,
    minHeight: DEFAULTS.minHeight,
    title: 'Digital You Meet',
    backgroundColor: '#0f1115',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click (auxclick) could open links outside the window-open handler.
      disableBlinkFeatures: 'Auxclick'
    }
  })
  lockDownContents(win.webContents)
  rememberPlacement(win, dataDir)
  win.once('ready-to-show', () => {
    if (placement.maximized) win.maximize()
    if (placement.fullScreen) win.setFullScreen(true)
    win.show()
  })
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}

/** Bring the window to the front (a second instance started, a link was opened, a notification clicked). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
