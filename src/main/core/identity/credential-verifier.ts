import { checkCredentialWithKey, checkStatement, parseCredential, peekSignedAttempt, reject, type Rejection } from './credential'
import type { KeyDirectory } from './key-directory'

/**
 * verified(name) | rejected(reason). A rejection whose only fault is the directory (it cannot
 * be reached, answers garbage, or holds a key other than the pinned one) carries
 * `unconfirmedName`: the credential is otherwise sound for that name (statement, app and device
 * binding all check out, and for a changed key the signature too). Screens show such a person
 * as a warning, never as verified.
 */
export type CredentialCheck =
  { verdict: 'verified'; name: string; keySource: 'directory' | 'pinned' } | (Rejection & { unconfirmedName?: string })

export type VerifyCredential = (credential: unknown, devicePublicKey: Uint8Array) => Promise<CredentialCheck>

export interface CredentialVerifierOptions {
  /** Our app id, read per check (a setting). */
  appId: () => string
  keys: KeyDirectory
}

/** The one verify function: our own profile, sign-in and every peer go through it. */
export function createCredentialVerifier(options: CredentialVerifierOptions): VerifyCredential {
  return async (value, devicePublicKey) => {
    const parsed = parseCredential(value)
    if (!('credential' in parsed)) return parsed
    const { credential } = parsed
    if (devicePublicKey.length !== 32) return reject('key-not-bound', 'The device key is not a 32-byte Ed25519 key.')
    const appId = options.appId()
    const lookup = await options.keys.lookup(credential.name)
    if (lookup.ok) {
      const result = checkCredentialWithKey(credential, devicePublicKey, lookup.publicKey, appId)
      return result.verdict === 'verified' ? { ...result, keySource: lookup.source } : result
    }
    if (lookup.reason === 'unknown-user') return reject('unknown-user', lookup.message)
    if (lookup.reason === 'key-changed') {
      // Signed by either the new or the pinned key: a real credential, but whose key to believe
      // is for the person to decide. Signed by neither: simply forged.
      const byNew = checkCredentialWithKey(credential, devicePublicKey, lookup.directoryKey, appId)
      const byPinned = checkCredentialWithKey(credential, devicePublicKey, lookup.pinnedKey, appId)
      if (byNew.verdict === 'verified' || byPinned.verdict === 'verified')
        return { ...reject('key-changed', lookup.message), unconfirmedName: credential.name }
      return byNew
    }
    // No key to check the signature with: check everything else so a sloppy forgery is still
    // refused, and say plainly that the name is unconfirmed.
    const peeked = peekSignedAttempt(credential.signedAttempt)
    if (!('statement' in peeked)) return peeked
    const fault = checkStatement(peeked.statement, credential, devicePublicKey, appId)
    if (fault) return fault
    return { ...reject(lookup.reason, lookup.message), unconfirmedName: credential.name }
  }
}
