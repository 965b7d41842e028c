import { shell, type Session, type WebContents } from 'electron'
import { isExternalLinkAllowed, isNavigationAllowed, isPermissionAllowed } from '../../shared/security/policy'

/** Media permissions only for our own page; everything else denied. */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl || webContents.getURL()))
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin)
  )
}

/** No navigation away from the app, no new windows; https links go to the system browser. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
