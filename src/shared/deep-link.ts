/**
 * `dym://join/...` links, as the OS hands them to the app: a URL (macOS `open-url`) or somewhere
 * in a command line (Windows and Linux start the app, or a second instance, with the link as an
 * argument). This only recognises and bounds the link; what comes after `join/` is the invite,
 * whose format belongs to src/shared/invite.ts. The whole link is passed on as the invite text.
 */
export const DEEP_LINK_SCHEME = 'dym'
export const JOIN_PREFIX = `${DEEP_LINK_SCHEME}://join/`
/** The contract caps an invite at 4096 characters; a link is never longer than that. */
export const MAX_DEEP_LINK_LENGTH = 4096

export type DeepLink = { kind: 'join'; invite: string }
export type DeepLinkError = { kind: 'error'; reason: string }
/** A command line without any dym: argument (an ordinary start). */
export type NoDeepLink = { kind: 'none' }

// Printable ASCII without space: what a URL may hold once percent-encoded. Anything else
// (control characters, spaces, non-ASCII look-alikes) means the link was mangled or forged.
const LINK_CHARS = /^[\x21-\x7e]+$/

/** Parse one link, or find and parse the link in a command line. */
export function parseDeepLink(input: string): DeepLink | DeepLinkError
export function parseDeepLink(input: readonly string[]): DeepLink | DeepLinkError | NoDeepLink
export function parseDeepLink(input: string | readonly string[]): DeepLink | DeepLinkError | NoDeepLink {
  if (typeof input !== 'string') {
    const found = findLinkArgument(input)
    return found === null ? { kind: 'none' } : parseLink(found)
  }
  return parseLink(input)
}

/**
 * The first argument that is a dym: link. Chromium and the OS add their own switches
 * (`--allow-file-access-from-files`, the executable, the app path), so only arguments that
 * start with the scheme count; a flag can never be mistaken for a link.
 */
function findLinkArgument(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (typeof arg !== 'string') continue
    if (arg.trim().toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return arg
  }
  return null
}

function parseLink(raw: string): DeepLink | DeepLinkError {
  const link = raw.trim()
  if (link.length === 0) return fail('the link is empty')
  if (link.length > MAX_DEEP_LINK_LENGTH) return fail(`the link is longer than ${MAX_DEEP_LINK_LENGTH} characters`)
  if (!LINK_CHARS.test(link)) return fail('the link contains spaces, control or non-ASCII characters')
  const colon = link.indexOf(':')
  const scheme = colon > 0 ? link.slice(0, colon).toLowerCase() : ''
  if (scheme !== DEEP_LINK_SCHEME) return fail(`not a ${DEEP_LINK_SCHEME}:// link`)
  const rest = link.slice(colon + 1)
  if (!rest.startsWith('//')) return fail(`a link starts with ${DEEP_LINK_SCHEME}://`)
  const slash = rest.indexOf('/', 2)
  const action = (slash === -1 ? rest.slice(2) : rest.slice(2, slash)).toLowerCase()
  // Exactly "join": no user info, no port, no other host can hide in front of it.
  if (action !== 'join') return fail(action === '' ? 'the link says nothing to do' : 'the link is not a meeting invite')
  const payload = slash === -1 ? '' : rest.slice(slash + 1)
  if (payload.replace(/[/?#]/g, '') === '') return fail('the invite is missing from the link')
  // Scheme and action are case-insensitive; the invite itself is passed on untouched.
  return { kind: 'join', invite: JOIN_PREFIX + payload }
}

function fail(reason: string): DeepLinkError {
  return { kind: 'error', reason }
}
