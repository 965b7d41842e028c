import { z } from 'zod'
import type { AttemptData } from './credential'
import { fromBase64, toBase64, x25519FromEd25519Public } from './keys'
import { BOX_NONCE_BYTES, boxKeyPair, boxOpen } from './nacl-box'

/**
 * The ThreeFold Connect login as plain functions (no window, no network): build the login
 * page URL, read the redirect it ends with, open the encrypted extra data. The Electron login
 * window and the core's login flow both use these.
 */

/** The phone app ignores requests older than this; our window gives up after it too. */
export const LOGIN_TIMEOUT_MS = 120_000
/** Where the login page sends the browser: https://<appId><REDIRECT_PATH>?signedAttempt=... */
export const LOGIN_REDIRECT_PATH = '/dym/threefold-login'
const MAX_REDIRECT_CHARS = 16 * 1024

export interface LoginUrlOptions {
  /** settings.loginUrl, e.g. https://login.threefold.me */
  loginUrl: string
  /** letters and digits only (the phone app refuses anything else) */
  state: string
  appId: string
  /** the app's X25519 public key (32 bytes); extra data comes back encrypted to it */
  appPublicKey: Uint8Array
  redirectPath?: string
  /** e.g. { email: true }: what extra data to ask for (we ask for none) */
  scope?: Record<string, boolean>
  /** prefill the 3Bot name on the login page */
  username?: string
}

export function buildLoginUrl(options: LoginUrlOptions): string {
  if (!/^[A-Za-z0-9]{1,100}$/.test(options.state)) throw new Error('state must be 1-100 letters and digits')
  if (options.appPublicKey.length !== 32) throw new Error('the app public key is a 32-byte X25519 key')
  const url = new URL(options.loginUrl.replace(/\/*$/, '/'))
  url.searchParams.set('state', options.state)
  url.searchParams.set('appid', options.appId)
  url.searchParams.set('publickey', toBase64(options.appPublicKey))
  url.searchParams.set('redirecturl', options.redirectPath ?? LOGIN_REDIRECT_PATH)
  if (options.scope) url.searchParams.set('scope', JSON.stringify(options.scope))
  if (options.username) url.searchParams.set('username', options.username)
  return url.toString()
}

/** Where a redirect for this app lands; a login window catches navigations starting with it. */
export function loginRedirectPrefix(appId: string, redirectPath = LOGIN_REDIRECT_PATH): string {
  return `https://${appId}${redirectPath}`
}

const RedirectAttempt = z.object({
  signedAttempt: z
    .string()
    .min(1)
    .max(8 * 1024),
  doubleName: z.string().min(1).max(60)
})

export type LoginRedirect =
  | { kind: 'attempt'; signedAttempt: string; doubleName: string }
  | { kind: 'cancelled' }
  /** the login page reported another error */
  | { kind: 'error'; message: string }
  /** not a redirect for us, or not readable */
  | { kind: 'invalid'; message: string }

/** Read the URL the login page redirected to. Anything not exactly ours is `invalid`. */
export function parseLoginRedirect(redirectUrl: string, expected: { appId: string; redirectPath?: string }): LoginRedirect {
  if (redirectUrl.length > MAX_REDIRECT_CHARS) return { kind: 'invalid', message: 'The login answer is too long.' }
  let url: URL
  try {
    url = new URL(redirectUrl)
  } catch {
    return { kind: 'invalid', message: 'The login answer is not a URL.' }
  }
  const path = expected.redirectPath ?? LOGIN_REDIRECT_PATH
  if (url.protocol !== 'https:' || url.host !== expected.appId || url.pathname !== path) {
    return { kind: 'invalid', message: `The login answer went to ${url.origin}${url.pathname}, not to this app.` }
  }
  const error = url.searchParams.get('error')
  if (error !== null) {
    if (error === 'CancelledByUser') return { kind: 'cancelled' }
    return { kind: 'error', message: `The login page reported: ${error.slice(0, 120)}` }
  }
  const param = url.searchParams.get('signedAttempt')
  if (param === null) return { kind: 'invalid', message: 'The login answer carries neither signedAttempt nor error.' }
  let json: unknown
  try {
    json = JSON.parse(param)
  } catch {
    return { kind: 'invalid', message: 'The login answer (signedAttempt) is not JSON.' }
  }
  const parsed = RedirectAttempt.safeParse(json)
  if (!parsed.success) return { kind: 'invalid', message: 'The login answer lacks signedAttempt or doubleName.' }
  return { kind: 'attempt', signedAttempt: parsed.data.signedAttempt, doubleName: parsed.data.doubleName.toLowerCase() }
}

/**
 * Open the encrypted `data` of a signed statement (present when a scope was asked for):
 * crypto_box from the user's key (its X25519 form) to the app's X25519 key. Null when it does
 * not open or is not JSON.
 */
export function decryptAttemptData(data: z.infer<typeof AttemptData>, userPublicKey: Uint8Array, appSecretKey: Uint8Array): unknown {
  const nonce = fromBase64(data.nonce)
  const ciphertext = fromBase64(data.ciphertext)
  if (!nonce || nonce.length !== BOX_NONCE_BYTES || !ciphertext) return null
  const plain = boxOpen(ciphertext, nonce, x25519FromEd25519Public(userPublicKey), appSecretKey)
  if (!plain) return null
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain))
  } catch {
    return null
  }
}

/** A fresh X25519 key pair for one login (its secret stays in memory for that login only). */
export function newAppKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
  return boxKeyPair()
}
