import { timingSafeEqual } from 'node:crypto'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'

/**
 * HMAC-SHA256 of a transcript, base64url: the fields are length-prefixed, so no two different
 * transcripts encode to the same bytes.
 */
export function macOf(key: Uint8Array, fields: readonly string[]): string {
  return base64urlnopad.encode(hmac(sha256, key, utf8ToBytes(fields.map((f) => `${f.length}:${f}`).join('|'))))
}

/** Does the base64url text a peer sent hold exactly these bytes? In constant time; false for text that is not base64url. */
export function sameBytes(expected: Uint8Array, given: string): boolean {
  let got: Uint8Array
  try {
    got = base64urlnopad.decode(given)
  } catch {
    return false
  }
  return got.length === expected.length && timingSafeEqual(got, expected)
}
