import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import { sameBytes } from '../mac'
import { ROOM_PROTOCOL } from './constants'

/**
 * Proof of the room key without sending it. Each side MACs the whole handshake transcript
 * (protocol, its role, room id, both peer ids as Noise proved them, both fresh nonces, both
 * node instances) with a key derived from the room key. A proof is useless anywhere else:
 * another peer id, another nonce or the other role changes the MAC.
 */
export interface Transcript {
  roomId: string
  initiator: string
  responder: string
  initiatorNonce: string
  responderNonce: string
  initiatorInstance: string
  responderInstance: string
}

export type Role = 'initiator' | 'responder'

export function newNonce(): string {
  return base64urlnopad.encode(randomBytes(32))
}

export function newInstanceId(): string {
  return base64urlnopad.encode(randomBytes(12))
}

function authKey(roomKey: Uint8Array): Uint8Array {
  return hkdf(sha256, roomKey, undefined, utf8ToBytes('dym/room-auth/v1'), 32)
}

export function roomProof(roomKey: Uint8Array, role: Role, t: Transcript): string {
  const fields = [
    ROOM_PROTOCOL,
    role,
    t.roomId,
    t.initiator,
    t.responder,
    t.initiatorNonce,
    t.responderNonce,
    t.initiatorInstance,
    t.responderInstance
  ]
  // Length-prefixed fields: no two different transcripts encode to the same bytes.
  const message = utf8ToBytes(fields.map((f) => `${f.length}:${f}`).join('|'))
  return base64urlnopad.encode(hmac(sha256, authKey(roomKey), message))
}

export function checkRoomProof(roomKey: Uint8Array, role: Role, t: Transcript, proof: string): boolean {
  return sameBytes(base64urlnopad.decode(roomProof(roomKey, role, t)), proof)
}
