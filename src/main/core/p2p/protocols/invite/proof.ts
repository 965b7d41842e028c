import { scrypt } from 'node:crypto'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import type { CID } from 'multiformats/cid'
import QuickLRU from 'quick-lru'
import { dhtKeyOf } from '../../dht-key'
import { macOf, sameBytes } from '../mac'
import { INVITE_PROTOCOL } from './constants'

/**
 * A short code has only 50 bits, so everything that leaves the device is made from a slow hash
 * of it (scrypt, about 0.1 s and 32 MiB here): whoever sees a DHT key or a proof would need
 * 2^49 of those on average to find the code, and the code lives only as long as the meeting's key.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }
const SALT = utf8ToBytes('dym/invite-code/v1/key')

/** The few codes in use on this device (its meeting's, the one being looked up). */
const derived = new QuickLRU<string, Promise<Uint8Array>>({ maxSize: 8 })

/** The key a code stands for (the grouped form, `XXXX-XXXX-XX`). */
export function codeKey(code: string): Promise<Uint8Array> {
  let key = derived.get(code)
  if (!key) {
    key = new Promise((resolve, reject) => scrypt(code, SALT, 32, SCRYPT, (err, out) => (err ? reject(err) : resolve(new Uint8Array(out)))))
    derived.set(code, key)
    key.catch(() => derived.delete(code))
  }
  return key
}

/** Where the members of the meeting with this code announce themselves in the DHT. */
export function codeRendezvousCid(key: Uint8Array): CID {
  return dhtKeyOf('dym/invite-code/v1/rendezvous', key)
}

/**
 * The joiner's proof, bound to both peer ids (Noise authenticates both): a stranger who is asked
 * learns nothing it could show a real member.
 */
export function askProof(key: Uint8Array, member: string, joiner: string): string {
  return macOf(key, [INVITE_PROTOCOL, 'ask', member, joiner])
}

export function checkAskProof(key: Uint8Array, member: string, joiner: string, proof: string): boolean {
  return sameBytes(base64urlnopad.decode(askProof(key, member, joiner)), proof)
}
