import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base32crockford } from '@scure/base'

/**
 * The short form of an invite: 10 characters people can read out (`K7QM-2XPD-9F`), 50 bits
 * derived from the room key. Every member can work it out, so the meeting answers to it after
 * its creator has left; when the room key is replaced (someone removed) the code changes with it.
 * It is a name to ask the meeting for its invite by (`/dym/invite/1.0.0`), not a key: a member
 * hands the full invite only to a device that proves it holds the code.
 *
 * Crockford's base32: no I, L, O or U; reading is forgiving (O is 0, I and L are 1, any case,
 * spaces and dashes ignored). Pure: the core and the renderer both use it.
 */
export const INVITE_CODE_CHARS = 10
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const DOMAIN = utf8ToBytes('dym/invite-code/v1')

/** The meeting's code for this room key, grouped for reading out: `XXXX-XXXX-XX`. */
export function inviteCodeOf(roomKey: Uint8Array): string {
  // The first 50 bits of the MAC: 7 bytes give 12 characters, of which the first 10 are those bits.
  return groupCode(base32crockford.encode(hmac(sha256, roomKey, DOMAIN).subarray(0, 7)).slice(0, INVITE_CODE_CHARS))
}

/** `K7QM2XPD9F` -> `K7QM-2XPD-9F` */
export function groupCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`
}

/**
 * A typed or pasted code in its one canonical form (grouped), or null when the text is not a
 * code (an invite link, say). Spaces, dashes and case are the person's business, not a typo.
 */
export function readInviteCode(text: string): string | null {
  if (typeof text !== 'string' || text.length > 40) return null
  const plain = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (plain.length !== INVITE_CODE_CHARS) return null
  for (const ch of plain) if (!ALPHABET.includes(ch)) return null
  return groupCode(plain)
}
