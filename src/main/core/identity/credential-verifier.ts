import { checkCredentialWithKey, checkStatement, parseCredential, peekSignedAttempt, reject, type Rejection } from './credential'
import type { KeyDirectory } from './key-directory'

/**
 * A credential sound in everything a key is not needed for (statement, app, device binding),
 * whose signature no key we trust could check: the directory cannot be reached or answers
 * garbage and no key is pinned for the name, or the directory's key is not the pinned one.
 * `claimedName` is what it claims, for our own profile and logs: never a name to show a peer
 * under (peer-verifier.ts shows such a peer as a guest).
 */
export type Unverified = {
  verdict: 'unverified'
  reason: 'directory-unreachable' | 'directory-invalid' | 'key-changed'
  message: string
  claimedName: string
}

/** verified(name) when the signature checks out with a key we trust; unverified; or rejected(reason). */
export type CredentialCheck = { verdict: 'verified'; name: string; keySource: 'directory' | 'pinned' } | Unverified | Rejection

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
    const unverified = (reason: Unverified['reason'], message: string): Unverified => ({
      verdict: 'unverified',
      reason,
      message,
      claimedName: credential.name
    })
    if (lookup.reason === 'key-changed') {
      // Signed by the new or the pinned key: a real credential, but neither key is one to trust
      // now (a stolen old key, or a directory that lies about the new one), until the person
      // accepts the change. Signed by neither: simply forged.
      const byNew = checkCredentialWithKey(credential, devicePublicKey, lookup.directoryKey, appId)
      const byPinned = checkCredentialWithKey(credential, devicePublicKey, lookup.pinnedKey, appId)
      if (byNew.verdict === 'verified' || byPinned.verdict === 'verified') return unverified('key-changed', lookup.message)
      return byNew
    }
    // No key to check the signature with: check everything else so a sloppy forgery is still
    // refused, and say plainly that the name is not confirmed.
    const peeked = peekSignedAttempt(credential.signedAttempt)
    if (!('statement' in peeked)) return peeked
    const fault = checkStatement(peeked.statement, credential, devicePublicKey, appId)
    if (fault) return fault
    return unverified(lookup.reason, lookup.message)
  }
}
