import { ed25519 } from '@noble/curves/ed25519.js'
import { hexToBytes } from '@noble/hashes/utils.js'
import { describe, expect, it } from 'vitest'
import { publicKeyOfSeed, signWithSeed, verifySignature } from '../../../src/main/core/identity/ed25519-native'

// RFC 8032, section 7.1, test 1 (the empty message).
const SEED = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
const PUBLIC = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')
const SIG = hexToBytes(
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
)

describe('Ed25519 through node:crypto (device keys, consent answers)', () => {
  it("gives RFC 8032's public key and signature, and accepts only that signature", () => {
    expect(publicKeyOfSeed(SEED)).toEqual(PUBLIC)
    expect(signWithSeed(SEED, new Uint8Array())).toEqual(SIG)
    expect(verifySignature(PUBLIC, new Uint8Array(), SIG)).toBe(true)
    const flipped = SIG.slice()
    flipped[40]! ^= 1
    expect(verifySignature(PUBLIC, new Uint8Array(), flipped)).toBe(false)
    expect(verifySignature(PUBLIC, new Uint8Array([0]), SIG)).toBe(false)
  })

  it('agrees with the pure-JS curve on random keys and messages', () => {
    for (let i = 0; i < 20; i++) {
      const seed = ed25519.utils.randomSecretKey()
      const message = crypto.getRandomValues(new Uint8Array(i * 13))
      expect(publicKeyOfSeed(seed)).toEqual(ed25519.getPublicKey(seed))
      expect(signWithSeed(seed, message)).toEqual(ed25519.sign(message, seed))
      expect(verifySignature(ed25519.getPublicKey(seed), message, ed25519.sign(message, seed))).toBe(true)
    }
  })

  it('answers false, never throws, for keys and signatures of the wrong shape', () => {
    expect(verifySignature(PUBLIC.subarray(0, 31), new Uint8Array(), SIG)).toBe(false)
    expect(verifySignature(PUBLIC, new Uint8Array(), SIG.subarray(0, 63))).toBe(false)
    expect(verifySignature(new Uint8Array(32).fill(0xff), new Uint8Array(), SIG)).toBe(false)
    // S not below the group order: a second form of the same signature, refused
    const big = SIG.slice()
    big.set(new Uint8Array(32).fill(0xff), 32)
    expect(verifySignature(PUBLIC, new Uint8Array(), big)).toBe(false)
    expect(() => signWithSeed(SEED.subarray(0, 16), new Uint8Array())).toThrow(/32 bytes/)
  })

  it('refuses what RFC 8032 read strictly refuses and OpenSSL alone takes', () => {
    const message = new Uint8Array([1, 2, 3])
    // The neutral point as the key, and as R with S = 0: this "signature" fits every message.
    const neutral = new Uint8Array(32)
    neutral[0] = 1
    const trivial = new Uint8Array(64)
    trivial[0] = 1
    expect(verifySignature(neutral, message, trivial)).toBe(false)
    expect(ed25519.verify(trivial, message, neutral, { zip215: false })).toBe(false)
    // The same point written as y = p + 1, which is not its canonical form.
    const nonCanonical = hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f')
    expect(verifySignature(nonCanonical, message, trivial)).toBe(false)
    // A real signature whose R is replaced by a point in non-canonical form is refused too.
    const sig = signWithSeed(SEED, message)
    expect(verifySignature(PUBLIC, message, sig)).toBe(true)
    const badR = sig.slice()
    badR.set(nonCanonical, 0)
    expect(verifySignature(PUBLIC, message, badR)).toBe(false)
  })
})
