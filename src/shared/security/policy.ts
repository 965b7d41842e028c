/**
 * Security decisions of the desktop shell as plain functions, so they are tested without
 * Electron. The app's own page is served from APP_ORIGIN; nothing else gets anything.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'dym'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * What our own page may use, by Electron permission name:
 * - `media`: camera and microphone (getUserMedia); each request names its `mediaTypes`
 * - `display-capture`: getDisplayMedia (the picker itself is setDisplayMediaRequestHandler)
 * - `fullscreen`: a participant's video full screen
 * - `clipboard-sanitized-write`: "copy invite link"
 * - `speaker-selection`: choosing the audio output device (setSinkId)
 * Everything else (notifications: the shell shows OS notifications itself; geolocation,
 * clipboard-read, HID/USB/serial, openExternal, ...) is refused, even for our page.
 */
const GRANTED_TO_APP = new Set(['media', 'display-capture', 'fullscreen', 'clipboard-sanitized-write', 'speaker-selection'])
const MEDIA_TYPES = new Set(['audio', 'video'])

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

/** What Electron tells us about a permission request or check (the parts we decide on). */
export interface PermissionDetails {
  /** The URL of the requesting frame (requests) or its origin (checks). */
  requestingUrl: string
  /** Requests from subframes are refused: our page has none (CSP frame-src 'none'). */
  isMainFrame?: boolean
  /** `media` requests: which devices. */
  mediaTypes?: readonly string[]
  /** `media` checks: which device. */
  mediaType?: string
}

/** Camera, microphone, screen, fullscreen and the rest of GRANTED_TO_APP for our own page only. */
export function isPermissionAllowed(permission: string, details: PermissionDetails | string): boolean {
  const d: PermissionDetails = typeof details === 'string' ? { requestingUrl: details } : details
  if (!isAppUrl(d.requestingUrl)) return false
  if (d.isMainFrame === false) return false
  if (!GRANTED_TO_APP.has(permission)) return false
  if (permission === 'media') {
    // A request lists its types; a check names one ('unknown' when Chromium cannot tell).
    if (d.mediaTypes && !d.mediaTypes.every((t) => MEDIA_TYPES.has(t))) return false
    if (d.mediaType !== undefined && !MEDIA_TYPES.has(d.mediaType)) return false
  }
  return true
}

/** The window never navigates away from the app (the renderer routes inside one page). */
export function isNavigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl)
}

/** Links the user clicks may open in the system browser, but only plain web links. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && url.length <= 2048
  } catch {
    return false
  }
}

/** A getDisplayMedia request is answered with our picker only when our own page asked. */
export function isDisplayMediaRequestAllowed(request: { securityOrigin: string; frameUrl: string | null }): boolean {
  return isAppUrl(request.securityOrigin) && request.frameUrl !== null && isAppUrl(request.frameUrl)
}
