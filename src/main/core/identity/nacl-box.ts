import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js'
import { u32 } from '@noble/ciphers/utils.js'
import { x25519 } from '@noble/curves/ed25519.js'

/**
 * NaCl's crypto_box (X25519, HSalsa20, XSalsa20-Poly1305), which the ThreeFold Connect phone
 * app uses to encrypt a login's extra data, built from @noble parts: @noble/ciphers has the
 * secretbox but leaves crypto_box's key derivation (crypto_box_beforenm) to the caller.
 * Ciphertexts are NaCl's: the 16-byte tag, then the encrypted bytes.
 */
export const BOX_NONCE_BYTES = 24

const SIGMA = new TextEncoder().encode('expand 32-byte k')

/** crypto_box_beforenm: HSalsa20 of the X25519 shared secret under a zero nonce. */
function boxKey(theirPublicKey: Uint8Array, ourSecretKey: Uint8Array): Uint8Array {
  const shared = x25519.getSharedSecret(ourSecretKey, theirPublicKey)
  const key = new Uint8Array(32)
  hsalsa(u32(SIGMA), u32(shared), u32(new Uint8Array(16)), u32(key))
  shared.fill(0)
  return key
}

/** crypto_box_open_easy; null when it does not open (wrong key, tampered, wrong nonce). */
export function boxOpen(
  ciphertext: Uint8Array,
  nonce: Uint8Array,
  theirPublicKey: Uint8Array,
  ourSecretKey: Uint8Array
): Uint8Array | null {
  if (nonce.length !== BOX_NONCE_BYTES || theirPublicKey.length !== 32 || ourSecretKey.length !== 32) return null
  let key: Uint8Array | null = null
  try {
    // A low-order public key makes getSharedSecret throw: as unopenable as a bad tag.
    key = boxKey(theirPublicKey, ourSecretKey)
    return xsalsa20poly1305(key, nonce).decrypt(ciphertext)
  } catch {
    return null
  } finally {
    key?.fill(0)
  }
}

/** crypto_box_easy (the phone's side; our tests play the phone with it). */
export function boxSeal(plain: Uint8Array, nonce: Uint8Array, theirPublicKey: Uint8Array, ourSecretKey: Uint8Array): Uint8Array {
  const key = boxKey(theirPublicKey, ourSecretKey)
  try {
    return xsalsa20poly1305(key, nonce).encrypt(plain)
  } finally {
    key.fill(0)
  }
}

/** A fresh X25519 key pair (crypto_box_keypair). */
export function boxKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array } {
  const secretKey = x25519.utils.randomSecretKey()
  return { publicKey: x25519.getPublicKey(secretKey), secretKey }
}
