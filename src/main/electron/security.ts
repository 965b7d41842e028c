import { shell, type Session, type WebContents } from 'electron'
import { isExternalLinkAllowed, isNavigationAllowed, isPermissionAllowed } from '../../shared/security/policy'

/**
 * The app session: camera, microphone, screen and the few other permissions in policy.ts for
 * our own page (app://dym, main frame); everything else refused. Both handlers are needed:
 * Chromium checks first (enumerateDevices labels, permission queries) and requests after.
 */
export function lockDownSession(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    callback(
      isPermissionAllowed(permission, {
        requestingUrl: details.requestingUrl || webContents.getURL(),
        isMainFrame: details.isMainFrame,
        ...(mediaTypes ? { mediaTypes } : {})
      })
    )
  })
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, {
      requestingUrl: details.requestingUrl || requestingOrigin,
      isMainFrame: details.isMainFrame,
      ...(details.mediaType ? { mediaType: details.mediaType } : {})
    })
  )
  // No HID, serial or USB devices for anyone.
  session.setDevicePermissionHandler(() => false)
  // Spell checking is off in the window; never fetch dictionaries from Google's CDN either.
  session.setSpellCheckerEnabled(false)
}

/** A session for remote pages (the login window): no permission of any kind. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null))
  session.setSpellCheckerEnabled(false)
}

/**
 * Applied to every web contents the app ever creates (app `web-contents-created`): no
 * <webview>, no popups. Windows that need more (the main window's external links, the login
 * window's redirect capture) add their own handlers on top.
 */
export function denyByDefault(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/** The main window: no navigation away from the app; https links go to the system browser. */
export function lockDownContents(contents: WebContents): void {
  // will-frame-navigate covers the main frame and any subframe; will-redirect covers
  // server redirects (none on app://, but a redirect must never take the window elsewhere).
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault()
  })
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    // Only plain https links (checked in policy.ts), never file:, custom schemes or smb:.
    if (isExternalLinkAllowed(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
