import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base64urlnopad } from '@scure/base'

/**
 * Ed25519 through Node's crypto (OpenSSL), as libp2p signs and checks with device keys. The
 * pure-JS curve builds a table on its first use in a process (about 0.15 s of CPU on a 2-core
 * machine) and takes tens of milliseconds a signature after that, on the thread that carries the
 * meeting: the core signs and checks consent answers the moment a recording starts.
 *
 * OpenSSL alone is laxer than RFC 8032's strict reading, which the pure-JS curve (zip215 off) and
 * libsodium follow: it takes a public key of small order, for which one "signature" fits every
 * message, and points not in their canonical encoding. Those are refused here first; decoding a
 * point needs no table.
 */

/** The PKCS#8 wrapping of a 32-byte Ed25519 seed (RFC 8410). */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

function privateKeyOf(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes')
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

/** The public key of a seed. */
export function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  const { x } = createPublicKey(privateKeyOf(seed)).export({ format: 'jwk' })
  return base64urlnopad.decode(x ?? '')
}

export function signWithSeed(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKeyOf(seed)))
}

/** The key and the signature's R in canonical form, and the key not of small order. */
function strictPoints(publicKey: Uint8Array, sig: Uint8Array): boolean {
  try {
    ed25519.Point.fromBytes(sig.subarray(0, 32), false)
    return !ed25519.Point.fromBytes(publicKey, false).isSmallOrder()
  } catch {
    return false
  }
}

/** True when `sig` is `publicKey`'s signature of `message`; false for anything malformed. */
export function verifySignature(publicKey: Uint8Array, message: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== 32 || sig.length !== 64 || !strictPoints(publicKey, sig)) return false
  try {
    const key = createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: base64urlnopad.encode(publicKey) } })
    return verify(null, message, key, sig)
  } catch {
    return false
  }
}
