import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { mnemonicToEntropy } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { base64 } from '@scure/base'
import { publicKeyOfSeed } from './ed25519-native'

/** An Ed25519 key as we keep it: the 32-byte seed and its public key. */
export interface Ed25519Key {
  readonly seed: Uint8Array
  readonly publicKey: Uint8Array
}

export function ed25519FromSeed(seed: Uint8Array): Ed25519Key {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes')
  return { seed, publicKey: publicKeyOfSeed(seed) }
}

export function newEd25519Key(): Ed25519Key {
  return ed25519FromSeed(ed25519.utils.randomSecretKey())
}

/**
 * The 3Bot key of a seed phrase: its seed is the raw BIP39 entropy of the 24 words, not the
 * PBKDF2 seed wallets use (see reference/3bot-identity.md). Throws on a bad phrase; callers
 * check the words first with checkSeedPhrase for word-level errors.
 */
export function threeBotKeyFromWords(words: readonly string[]): Ed25519Key {
  return ed25519FromSeed(mnemonicToEntropy(words.join(' '), wordlist))
}

/** The X25519 form of an Ed25519 public key (what the login SDK sends as `publickey`). */
export function x25519FromEd25519Public(publicKey: Uint8Array): Uint8Array {
  return ed25519.utils.toMontgomery(publicKey)
}

/**
 * A short fingerprint of a device key for comparing out of band: the first 12 bytes of its
 * SHA-256 as six groups of four hex digits ("1a2b 3c4d 5e6f 7a8b 9c0d 1e2f").
 */
export function keyFingerprint(publicKey: Uint8Array): string {
  const hex = Array.from(sha256(publicKey).subarray(0, 12), (b) => b.toString(16).padStart(2, '0')).join('')
  return hex.match(/.{4}/g)?.join(' ') ?? hex
}

/** The libp2p peer id (base58) an Ed25519 device key has. */
export function peerIdOfKey(publicKey: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(publicKey)).toString()
}

export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes)
}

/** Strict standard base64 (with padding); null for anything else. */
export function fromBase64(text: string): Uint8Array | null {
  try {
    return base64.decode(text)
  } catch {
    return null
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}
