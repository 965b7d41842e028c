import { BrowserWindow } from 'electron'
import { APP_ORIGIN } from '../../shared/security/policy'
import { lockDownContents } from './security'

/** The hardened main window: isolated, sandboxed, no Node in the page, only window.dym. */
export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Digital You Meet',
    backgroundColor: '#0f1115',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    }
  })
  lockDownContents(win.webContents)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}
