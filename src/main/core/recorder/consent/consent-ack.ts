import { peerIdFromString } from '@libp2p/peer-id'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import { ConsentAck, type ConsentAnswer } from '../../../../shared/contract/recording'
import { measureBytes } from '../../../../shared/wire'
import { signWithSeed, verifySignature } from '../../identity/ed25519-native'
import { ed25519FromSeed, peerIdOfKey } from '../../identity/keys'

/** How far from the recording's own time an answer may be dated (clocks differ a little). */
export const ACK_CLOCK_SLACK_MS = 5 * 60_000

/** The presentation (3Bot credential, or a guest's name) in one canonical form, hashed into what is signed. */
export function presentationHash(presentation: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(JSON.stringify(presentation ?? null))))
}

/**
 * What a member signs: which recording (its random id and who records it), who answers, when,
 * the answer, and the hash of the member's 3Bot credential, so the signature by the device key
 * also names the 3Bot identity that vouches for that key.
 */
function signedBytes(ack: Omit<ConsentAck, 'sig'>): Uint8Array {
  return utf8ToBytes(
    `dym/recording-consent/v1\n${ack.recording}\n${ack.recorder}\n${ack.by}\n${ack.at}\n${ack.answer}\n${presentationHash(ack.presentation)}`
  )
}

/** Our answer to a recording, signed with this device's key. */
export function signAck(
  seed: Uint8Array,
  request: { recording: string; recorder: string; name: string; presentation: unknown; answer: ConsentAnswer },
  at = Date.now()
): ConsentAck {
  const key = ed25519FromSeed(seed)
  const unsigned = { ...request, by: peerIdOfKey(key.publicKey), at }
  return ConsentAck.parse({ ...unsigned, sig: base64urlnopad.encode(signWithSeed(seed, signedBytes(unsigned))) })
}

/** The Ed25519 public key of a peer id, or null when it holds none. */
export function keyOfPeer(peerId: string): Uint8Array | null {
  try {
    const key = peerIdFromString(peerId).publicKey
    return key?.type === 'Ed25519' ? key.raw : null
  } catch {
    return null
  }
}

/** Null when the answer is sound (well-formed, bounded, signed by the key of the peer id it names); else why not. */
export function checkAck(value: unknown): { ok: true; ack: ConsentAck } | { ok: false; reason: string } {
  if (measureBytes(value, 16 * 1024) > 16 * 1024) return { ok: false, reason: 'too large' }
  const parsed = ConsentAck.safeParse(value)
  if (!parsed.success) return { ok: false, reason: `malformed (${parsed.error.issues[0]?.path.join('.') ?? 'value'})` }
  const ack = parsed.data
  const key = keyOfPeer(ack.by)
  if (!key) return { ok: false, reason: 'its peer id holds no Ed25519 key' }
  let sig: Uint8Array
  try {
    sig = base64urlnopad.decode(ack.sig)
  } catch {
    return { ok: false, reason: 'the signature is not base64url' }
  }
  const { sig: _sig, ...unsigned } = ack
  return verifySignature(key, signedBytes(unsigned), sig) ? { ok: true, ack } : { ok: false, reason: 'a bad signature' }
}
