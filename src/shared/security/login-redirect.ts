/**
 * The ThreeFold Connect login window's navigation policy, as plain functions. The login page
 * ends by sending the browser to `https://<appId><redirectUrl>?signedAttempt=...`; the window
 * must catch that navigation before it leaves and hand the URL to the identity service, and
 * must not wander anywhere else on the way.
 */
export type LoginNavigation = 'capture' | 'allow' | 'block'

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/**
 * Is `url` the redirect we wait for? Same scheme, host and port as `redirectPrefix`, no user
 * info (`https://app@evil/` is not `app`), and the same path; a prefix ending in `/` also
 * matches the paths below it. Query and fragment are free: they carry the result.
 */
export function isLoginRedirect(url: string, redirectPrefix: string): boolean {
  if (url.length > 16 * 1024) return false
  const target = parse(url)
  const prefix = parse(redirectPrefix)
  if (!target || !prefix) return false
  if (target.username !== '' || target.password !== '') return false
  if (target.protocol !== prefix.protocol || target.host !== prefix.host) return false
  if (prefix.pathname.endsWith('/')) return target.pathname.startsWith(prefix.pathname)
  return target.pathname === prefix.pathname
}

/**
 * What the login window does with a navigation: capture our redirect; allow pages of the login
 * server itself (same origin as the login URL); block everything else.
 */
export function classifyLoginNavigation(url: string, options: { loginUrl: string; redirectPrefix: string }): LoginNavigation {
  if (isLoginRedirect(url, options.redirectPrefix)) return 'capture'
  const target = parse(url)
  const login = parse(options.loginUrl)
  if (!target || !login) return 'block'
  if (target.username !== '' || target.password !== '') return 'block'
  return target.origin === login.origin && (target.protocol === 'https:' || target.protocol === 'http:') ? 'allow' : 'block'
}

/** The login URL itself must be a web page (https, or http for a local test server). */
export function isAcceptableLoginUrl(url: string): boolean {
  const parsed = parse(url)
  if (!parsed || parsed.username !== '' || parsed.password !== '') return false
  if (parsed.protocol === 'https:') return true
  return parsed.protocol === 'http:' && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' || parsed.hostname === '[::1]')
}
