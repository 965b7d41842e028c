import { ed25519 } from '@noble/curves/ed25519.js'
import { base64 } from '@scure/base'
import { describe, expect, it } from 'vitest'
import { boxKeyPair, boxOpen, boxSeal } from '../../../src/main/core/identity/nacl-box'

/**
 * crypto_box on @noble against NaCl itself: the vector below was made with TweetNaCl 1.0.3
 * (`nacl.box`, the library the ThreeFold Connect app's SDK uses), from the seed 1..32 of a
 * 3Bot key (its X25519 form) to an app key, so our output must be byte-for-byte the same.
 */
const VECTOR = {
  userSeed: Uint8Array.from({ length: 32 }, (_, i) => i + 1),
  appSecret: base64.decode('yMfGxcTDwsHAv769vLu6ubi3trW0s7KxsK+urayrqqk='),
  appPublic: base64.decode('ja/P7q6QRe6aeNeKmfzzLneB5EHrBzCWw0K44tzDthI='),
  nonce: base64.decode('AAcOFRwjKjE4P0ZNVFtiaXB3foWMk5qh'),
  plain: '{"email":{"email":"alice@example.org","sei":"s"}}',
  ciphertext: base64.decode('cFgzZq0wVo/G2LGUVY/+D0s8nJOB6aa72zmtJZh+CRELH2Du8RqS29AY8uWumPQ9GYcvD9ORJZHm/XtBJB0/5rQ=')
}
const text = (bytes: Uint8Array | null) => (bytes ? new TextDecoder().decode(bytes) : null)

describe('NaCl crypto_box on @noble', () => {
  it("opens TweetNaCl's box with the app key, and seals exactly the same bytes from the 3Bot side", () => {
    const userPublic = ed25519.getPublicKey(VECTOR.userSeed)
    const userX25519Public = ed25519.utils.toMontgomery(userPublic)
    const userX25519Secret = ed25519.utils.toMontgomerySecret(VECTOR.userSeed)
    expect(text(boxOpen(VECTOR.ciphertext, VECTOR.nonce, userX25519Public, VECTOR.appSecret))).toBe(VECTOR.plain)
    const sealed = boxSeal(new TextEncoder().encode(VECTOR.plain), VECTOR.nonce, VECTOR.appPublic, userX25519Secret)
    expect(base64.encode(sealed)).toBe(base64.encode(VECTOR.ciphertext))
  })

  it('does not open with another key, another nonce, a flipped bit, a low-order key or wrong sizes', () => {
    const userX25519Public = ed25519.utils.toMontgomery(ed25519.getPublicKey(VECTOR.userSeed))
    const flipped = Uint8Array.from(VECTOR.ciphertext)
    flipped[20]! ^= 1
    const otherNonce = Uint8Array.from(VECTOR.nonce)
    otherNonce[0]! ^= 1
    expect(boxOpen(VECTOR.ciphertext, VECTOR.nonce, userX25519Public, boxKeyPair().secretKey)).toBeNull()
    expect(boxOpen(VECTOR.ciphertext, otherNonce, userX25519Public, VECTOR.appSecret)).toBeNull()
    expect(boxOpen(flipped, VECTOR.nonce, userX25519Public, VECTOR.appSecret)).toBeNull()
    expect(boxOpen(VECTOR.ciphertext, VECTOR.nonce, new Uint8Array(32), VECTOR.appSecret)).toBeNull()
    expect(boxOpen(VECTOR.ciphertext, VECTOR.nonce.subarray(0, 16), userX25519Public, VECTOR.appSecret)).toBeNull()
    expect(boxOpen(VECTOR.ciphertext.subarray(0, 10), VECTOR.nonce, userX25519Public, VECTOR.appSecret)).toBeNull()
  })

  it('a fresh key pair round-trips', () => {
    const app = boxKeyPair()
    const phone = boxKeyPair()
    const nonce = crypto.getRandomValues(new Uint8Array(24))
    const sealed = boxSeal(new TextEncoder().encode('hello'), nonce, app.publicKey, phone.secretKey)
    expect(text(boxOpen(sealed, nonce, phone.publicKey, app.secretKey))).toBe('hello')
  })
})
