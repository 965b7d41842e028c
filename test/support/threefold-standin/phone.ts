import { ed25519 } from '@noble/curves/ed25519.js'
import { base64 } from '@scure/base'
import { randomBytes, randomUUID } from 'node:crypto'
import { boxSeal } from '../../../src/main/core/identity/nacl-box'
import type { TestIdentity } from './test-identities'

/**
 * What the ThreeFold Connect phone app does when a person approves a login, rewritten from the
 * protocol description (reference/3bot-identity.md), independently of the product's code but
 * for NaCl's crypto_box (src/main/core/identity/nacl-box.ts), whose output
 * test/unit/identity/nacl-box.test.ts pins to what TweetNaCl and libsodium produce.
 */
export interface AttemptRequest {
  state: string
  appId: string
  /** base64 X25519 key of the app (the login URL's `publickey`); needed only with `data` */
  appPublicKey?: string
  /** extra data for the app, encrypted to appPublicKey (e.g. { email: { email, sei } }) */
  data?: unknown
}

/** Fields to change or drop, to make tampered attempts that are still properly signed. */
export type StatementOverrides = Partial<
  Record<'signedState' | 'data' | 'selectedImageId' | 'doubleName' | 'randomRoom' | 'appId', unknown>
> & { omit?: string[] }

export function signAttempt(user: TestIdentity, request: AttemptRequest, overrides: StatementOverrides = {}): string {
  const statement: Record<string, unknown> = {
    signedState: request.state,
    data: request.data === undefined ? null : encryptForApp(user, request),
    selectedImageId: 1 + ((randomBytes(1)[0] as number) % 4),
    doubleName: user.name,
    randomRoom: randomUUID(),
    appId: request.appId
  }
  const { omit, ...changes } = overrides
  Object.assign(statement, changes)
  for (const key of omit ?? []) delete statement[key]
  const message = new TextEncoder().encode(JSON.stringify(statement))
  // libsodium's combined format: the signature, then the message.
  const signed = new Uint8Array(64 + message.length)
  signed.set(ed25519.sign(message, user.seed))
  signed.set(message, 64)
  return base64.encode(signed)
}

function encryptForApp(user: TestIdentity, request: AttemptRequest): { nonce: string; ciphertext: string } {
  if (!request.appPublicKey) throw new Error('data needs the app public key')
  const nonce = randomBytes(24)
  // crypto_sign_ed25519_sk_to_curve25519 of the user's key, to the app's X25519 key.
  const userX25519Secret = ed25519.utils.toMontgomerySecret(user.seed)
  const ciphertext = boxSeal(
    new TextEncoder().encode(JSON.stringify(request.data)),
    nonce,
    base64.decode(request.appPublicKey),
    userX25519Secret
  )
  return { nonce: base64.encode(nonce), ciphertext: base64.encode(ciphertext) }
}

/** Where the login page sends the browser once the phone approved: https://<appId><redirecturl>?signedAttempt=... */
export function approvedRedirect(appId: string, redirectPath: string, signedAttempt: string, doubleName: string): string {
  const payload = JSON.stringify({ signedAttempt, doubleName })
  return `https://${appId}${redirectPath}?signedAttempt=${encodeURIComponent(payload)}`
}

export function cancelledRedirect(appId: string, redirectPath: string): string {
  return `https://${appId}${redirectPath}?error=CancelledByUser`
}
