/**
 * Security decisions of the desktop shell as plain functions, so they are tested without
 * Electron. The app's own page is served from APP_ORIGIN; nothing else gets anything.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'dym'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

const MEDIA_PERMISSIONS = new Set(['media', 'display-capture', 'fullscreen', 'clipboard-sanitized-write'])

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    // Custom schemes have an opaque origin in the URL spec; compare scheme + host ourselves.
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return null
  }
}

export function isAppUrl(url: string): boolean {
  return originOf(url) === APP_ORIGIN
}

/** Camera, microphone, screen and fullscreen for our own page; every other request is refused. */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return isAppUrl(requestingUrl) && MEDIA_PERMISSIONS.has(permission)
}

/** The window never navigates away from the app (the renderer routes inside one page). */
export function isNavigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl)
}

/** Links the user clicks may open in the system browser, but only plain web links. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === ''
  } catch {
    return false
  }
}
