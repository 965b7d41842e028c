import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import QuickLRU from 'quick-lru'
import { ModerationAction } from '../../../shared/contract/rooms'
import type { ModerateFrame, RekeyFrame } from '../p2p/protocols/room/index'
import { newNonce } from '../p2p/protocols/room/proof'

/** A signed command older (or further in the future) than this is refused: it cannot be replayed later. */
const FRESH_FOR_MS = 2 * 60_000

/** Signs with this device's key (the libp2p identity). */
export type Sign = (data: Uint8Array) => Promise<Uint8Array>

/**
 * The bytes a moderation command or a new key is signed over: what it is, who says it, when,
 * a nonce, and the room (its current id on the wire), so it counts for that meeting only.
 */
function signedBytes(
  kind: 'moderate' | 'rekey',
  roomWireId: string,
  frame: { by: string; at: number; nonce: string },
  body: string
): Uint8Array {
  return utf8ToBytes(`dym/${kind}/v1\n${roomWireId}\n${frame.by}\n${frame.at}\n${frame.nonce}\n${body}`)
}

/** The action in one canonical form (the schema's key order), so signer and checker sign the same text. */
function canonical(action: ModerationAction): string {
  return JSON.stringify(ModerationAction.parse(action))
}

export async function signModeration(sign: Sign, roomWireId: string, by: string, action: ModerationAction): Promise<ModerateFrame> {
  const unsigned = { by, at: Date.now(), nonce: newNonce() }
  const sig = await sign(signedBytes('moderate', roomWireId, unsigned, canonical(action)))
  return { t: 'moderate', action: ModerationAction.parse(action), ...unsigned, sig: base64urlnopad.encode(sig) }
}

export async function signRekey(sign: Sign, roomWireId: string, by: string, key: Uint8Array): Promise<RekeyFrame> {
  const text = base64urlnopad.encode(key)
  const unsigned = { by, at: Date.now(), nonce: newNonce() }
  const sig = await sign(signedBytes('rekey', roomWireId, unsigned, text))
  return { t: 'rekey', key: text, ...unsigned, sig: base64urlnopad.encode(sig) }
}

/**
 * Who may moderate this meeting (the host, and the co-hosts it named), whether it is locked, who
 * was removed, and the check of every signed command: fresh, not seen before, from someone who
 * may, signed by their key. Owned by the meeting; nothing else changes it.
 */
export class ModerationState {
  readonly coHosts = new Set<string>()
  locked = false
  /** peers the host removed: nobody lets them back in */
  readonly removed = new QuickLRU<string, true>({ maxSize: 200 })
  private readonly seen = new QuickLRU<string, true>({ maxSize: 2000, maxAge: 2 * FRESH_FOR_MS })

  constructor(private readonly host: () => string) {}

  isHost(peerId: string): boolean {
    return peerId !== '' && peerId === this.host()
  }

  mayModerate(peerId: string): boolean {
    return peerId !== '' && (peerId === this.host() || this.coHosts.has(peerId))
  }

  /** Null when the command holds; else why it is refused (for the log). */
  async check(frame: ModerateFrame | RekeyFrame, from: PeerId, roomWireIds: string[]): Promise<string | null> {
    if (frame.by !== from.toString()) return 'signed by someone other than the member who sent it'
    if (!this.mayModerate(frame.by)) return 'from someone who may not moderate'
    if (frame.t === 'rekey' && frame.by !== this.host()) return 'only the host replaces the key'
    if (frame.t === 'moderate' && frame.action.kind === 'co-host' && frame.by !== this.host()) return 'only the host names co-hosts'
    if (Math.abs(Date.now() - frame.at) > FRESH_FOR_MS) return 'too old or from the future'
    if (this.seen.has(`${frame.by}/${frame.nonce}`)) return 'a replay'
    const body = frame.t === 'moderate' ? canonical(frame.action) : frame.key
    const key = peerIdFromString(frame.by).publicKey
    if (!key) return 'no public key in the peer id'
    // Signed for the meeting's id on the wire then: the sender and we may be either side of a new key.
    const sig = base64urlnopad.decode(frame.sig)
    let ok = false
    for (const id of roomWireIds) if (!ok) ok = await key.verify(signedBytes(frame.t, id, frame, body), sig)
    if (!ok) return 'a bad signature'
    this.seen.set(`${frame.by}/${frame.nonce}`, true)
    return null
  }
}
