import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import { macOf, sameBytes } from '../mac'
import { ICE_PROTOCOL } from './constants'

/**
 * What a member shows a relay. From the room key and the relay's peer id it derives a key for
 * this meeting at this relay (one-way: the relay cannot get the room key back, and the key is
 * worth nothing at another relay), and from that a tag that names the meeting to the relay.
 * The first member to ask hands the relay the derived key (registration); every request then
 * proves it holds the key by a MAC over the relay's fresh nonce and both peer ids.
 */
export function relayMeetingKey(roomKey: Uint8Array, relayPeerId: string): Uint8Array {
  return hkdf(sha256, roomKey, undefined, utf8ToBytes(`dym/ice/v1/relay-key|${relayPeerId}`), 32)
}

export function meetingTag(relayKey: Uint8Array): string {
  return base64urlnopad.encode(hmac(sha256, relayKey, utf8ToBytes('dym/ice/v1/tag')))
}

export interface ProofTranscript {
  relay: string
  member: string
  tag: string
  nonce: string
}

export function iceProof(relayKey: Uint8Array, t: ProofTranscript): string {
  return macOf(relayKey, [ICE_PROTOCOL, t.relay, t.member, t.tag, t.nonce])
}

export function checkIceProof(relayKey: Uint8Array, t: ProofTranscript, proof: string): boolean {
  return sameBytes(base64urlnopad.decode(iceProof(relayKey, t)), proof)
}

/** A registration is only taken for the key its tag was made from. */
export function tagMatches(relayKey: Uint8Array, tag: string): boolean {
  return sameBytes(base64urlnopad.decode(meetingTag(relayKey)), tag)
}
