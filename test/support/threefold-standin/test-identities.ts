import { ed25519 } from '@noble/curves/ed25519.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'

/**
 * 3Bot identities for tests. Their keys follow the real rule (seed = BIP39 entropy of the 24
 * words), derived here independently of the product code so the two check each other.
 */
export interface TestIdentity {
  name: string
  mnemonic: string
  seed: Uint8Array
  publicKey: Uint8Array
}

export function identityFromMnemonic(name: string, mnemonic: string): TestIdentity {
  const seed = mnemonicToEntropy(mnemonic, wordlist)
  return { name, mnemonic, seed, publicKey: ed25519.getPublicKey(seed) }
}

/** A deterministic identity for a label: its 32-byte seed is SHA-256 of the label. */
export function testIdentity(name: string, label = name): TestIdentity {
  return identityFromMnemonic(name, entropyToMnemonic(sha256(new TextEncoder().encode(`dym-test:${label}`)), wordlist))
}

/** The published test vector of reference/3bot-identity.md, under a name of our choosing. */
export const VECTOR_MNEMONIC =
  'calm science teach foil burst until next mango hole sponsor fold bottom cousin push focus track truly tornado turtle over tornado teach large fiscal'
export const VECTOR_SEED_HEX = '20981f7a2d31eddc6554396cba4d6a0d23175d568f34e97cafabcefe57bd1f4a'
export const VECTOR_PUBLIC_KEY_B64 = 'JPWSMbW9nRpKqCgm5XXXUBwJD32WFwWW7uuWiu4dsHE='
export const VECTOR_X25519_B64 = 'haPnjRJSFG1mk388ZCk9ybi0h/Yx0QkOzPQLFVoYOBw='

export const VECTOR = identityFromMnemonic('vector.3bot', VECTOR_MNEMONIC)
export const ALICE = testIdentity('alice.3bot')
export const BOB = testIdentity('bob.3bot')
export const CAROL = testIdentity('carol.3bot')
