import { sha256 } from '@noble/hashes/sha2.js'
import { base58 } from '@scure/base'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { ThreeBotName } from '../../../shared/contract/people'
import { measureBytes } from '../../../shared/wire'
import { signWithSeed, verifySignature } from './ed25519-native'
import { fromBase64, toBase64 } from './keys'

/**
 * The 3Bot credential: "alice.3bot vouches for this device key, for this app".
 *
 * It is exactly a ThreeFold Connect signed attempt, kept whole, plus what a verifier needs to
 * recompute its `state`:
 *   { v: 1, kind: '3bot', name: 'alice.3bot', nonce: <base58>, signedAttempt: <base64> }
 * `signedAttempt` is libsodium's combined format (64-byte Ed25519 signature by the 3Bot key,
 * then the message), the message being the phone app's JSON
 *   { signedState, data, selectedImageId, doubleName, randomRoom, appId }.
 * We choose `signedState` = bindingState(devicePublicKey, nonce), a letters-and-digits hash of
 * the device key, so the signed attempt binds the key the peer proved in its Noise handshake.
 * A seed-phrase restore signs the same message itself with the 3Bot key: one format, one check.
 */
export const CREDENTIAL_MAX_BYTES = 8 * 1024
const SIGNED_ATTEMPT_MAX_CHARS = 6 * 1024
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/
/** libsodium's combined format: a 64-byte signature, then the message. */
const SIGNATURE_BYTES = 64

export const ThreeBotCredential = z
  .object({
    v: z.literal(1),
    kind: z.literal('3bot'),
    name: ThreeBotName,
    nonce: z.string().min(16).max(40).regex(BASE58),
    signedAttempt: z.string().min(1).max(SIGNED_ATTEMPT_MAX_CHARS)
  })
  .strict()
export type ThreeBotCredential = z.infer<typeof ThreeBotCredential>

/** The encrypted extra data a login may carry (email, derived seed), for the app's X25519 key. */
export const AttemptData = z.object({ nonce: z.string().max(64), ciphertext: z.string().max(4096) })

/** The signed message. selectedImageId and randomRoom mean nothing to us and may be absent. */
export const SignedStatement = z.object({
  signedState: z.string().max(200),
  data: AttemptData.nullable(),
  selectedImageId: z.unknown().optional(),
  doubleName: z.string().max(60),
  randomRoom: z.unknown().optional(),
  appId: z.string().max(253)
})
export type SignedStatement = z.infer<typeof SignedStatement>

export type RejectReason =
  | 'too-large'
  | 'malformed'
  | 'bad-signature'
  | 'bad-statement'
  | 'name-mismatch'
  | 'app-mismatch'
  | 'key-not-bound'
  | 'unknown-user'
  | 'directory-unreachable'
  | 'directory-invalid'
  | 'key-changed'

export type Rejection = { verdict: 'rejected'; reason: RejectReason; message: string }

export function reject(reason: RejectReason, message: string): Rejection {
  return { verdict: 'rejected', reason, message }
}

/** A fresh nonce for a binding: 16 random bytes, base58 (letters and digits only). */
export function newBindingNonce(): string {
  return base58.encode(randomBytes(16))
}

/**
 * The `state` that binds a device key: base58 of SHA-256 over a domain label, the 32-byte key
 * and the nonce. Letters and digits only, as the phone app requires.
 */
export function bindingState(devicePublicKey: Uint8Array, nonce: string): string {
  const label = new TextEncoder().encode('dym-device-binding/1\0')
  const nonceBytes = new TextEncoder().encode(nonce)
  const input = new Uint8Array(label.length + devicePublicKey.length + nonceBytes.length)
  input.set(label, 0)
  input.set(devicePublicKey, label.length)
  input.set(nonceBytes, label.length + devicePublicKey.length)
  return base58.encode(sha256(input))
}

/** Parse an untrusted credential value: size first, then shape. */
export function parseCredential(value: unknown): { ok: true; credential: ThreeBotCredential } | Rejection {
  if (measureBytes(value, CREDENTIAL_MAX_BYTES) > CREDENTIAL_MAX_BYTES)
    return reject('too-large', `The credential is larger than ${CREDENTIAL_MAX_BYTES} bytes.`)
  let raw: unknown = value
  if (typeof value === 'string') {
    try {
      raw = JSON.parse(value)
    } catch {
      return reject('malformed', 'The credential is not JSON.')
    }
  }
  const parsed = ThreeBotCredential.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return reject(
      'malformed',
      `The credential is not in the expected format (${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}).`
    )
  }
  return { ok: true, credential: parsed.data }
}

type Opened = { ok: true; statement: SignedStatement } | Rejection

/** Decode a signed attempt and check its signature with the 3Bot key. */
export function openSignedAttempt(signedAttempt: string, userPublicKey: Uint8Array): Opened {
  const bytes = decodeAttempt(signedAttempt)
  if (!bytes) return reject('malformed', 'The signed attempt is not base64 or too short to hold a signature.')
  const message = bytes.subarray(SIGNATURE_BYTES)
  // Strict RFC 8032 checks, as libsodium on the phone does, through OpenSSL (ed25519-native.ts):
  // the pure-JS curve would build its table on the first join.
  if (!verifySignature(userPublicKey, message, bytes.subarray(0, SIGNATURE_BYTES)))
    return reject('bad-signature', 'The signature does not match the 3Bot key.')
  return parseStatement(message)
}

/**
 * The statement of a signed attempt WITHOUT checking its signature: only for telling a peer
 * what it claims while the directory cannot be reached. Never a basis for "verified".
 */
export function peekSignedAttempt(signedAttempt: string): Opened {
  const bytes = decodeAttempt(signedAttempt)
  if (!bytes) return reject('malformed', 'The signed attempt is not base64 or too short to hold a signature.')
  return parseStatement(bytes.subarray(SIGNATURE_BYTES))
}

function decodeAttempt(signedAttempt: string): Uint8Array | null {
  const bytes = fromBase64(signedAttempt)
  return bytes && bytes.length > SIGNATURE_BYTES + 2 ? bytes : null
}

function parseStatement(message: Uint8Array): Opened {
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message))
  } catch {
    return reject('bad-statement', 'The signed message is not JSON.')
  }
  const parsed = SignedStatement.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return reject('bad-statement', `The signed message lacks ${issue?.path.join('.') || 'its fields'} (${issue?.message ?? 'invalid'}).`)
  }
  return { ok: true, statement: parsed.data }
}

/**
 * Everything about a credential except where the 3Bot key came from: the signed name is the
 * credential's name, the app is ours, and the state commits to this device's key.
 */
export function checkStatement(
  statement: SignedStatement,
  credential: ThreeBotCredential,
  devicePublicKey: Uint8Array,
  appId: string
): Rejection | null {
  const signedName = statement.doubleName.toLowerCase()
  if (signedName !== credential.name)
    return reject('name-mismatch', `The credential is signed for ${signedName.slice(0, 60)}, not ${credential.name}.`)
  if (statement.appId.toLowerCase() !== appId)
    return reject('app-mismatch', `The credential is for another app (${statement.appId.slice(0, 60)}), not ${appId}.`)
  if (statement.signedState !== bindingState(devicePublicKey, credential.nonce))
    return reject('key-not-bound', 'The credential does not vouch for this device key.')
  return null
}

/** verified(name) or rejected(reason), given the 3Bot key to check against. */
export function checkCredentialWithKey(
  credential: ThreeBotCredential,
  devicePublicKey: Uint8Array,
  userPublicKey: Uint8Array,
  appId: string
): { verdict: 'verified'; name: string } | Rejection {
  const opened = openSignedAttempt(credential.signedAttempt, userPublicKey)
  if (!('statement' in opened)) return opened
  return checkStatement(opened.statement, credential, devicePublicKey, appId) ?? { verdict: 'verified', name: credential.name }
}

/**
 * The seed-restore way: sign the same message the phone app would, with the 3Bot key itself,
 * binding this device key. The seed is used here and then dropped by the caller.
 */
export function signCredentialLocally(options: {
  name: string
  appId: string
  userSeed: Uint8Array
  devicePublicKey: Uint8Array
}): ThreeBotCredential {
  const nonce = newBindingNonce()
  const statement: SignedStatement = {
    signedState: bindingState(options.devicePublicKey, nonce),
    data: null,
    selectedImageId: null,
    doubleName: options.name,
    randomRoom: null,
    appId: options.appId
  }
  const message = new TextEncoder().encode(JSON.stringify(statement))
  const signed = new Uint8Array(SIGNATURE_BYTES + message.length)
  signed.set(signWithSeed(options.userSeed, message), 0)
  signed.set(message, SIGNATURE_BYTES)
  return { v: 1, kind: '3bot', name: options.name, nonce, signedAttempt: toBase64(signed) }
}
