import type { Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { base64urlnopad } from '@scure/base'
import { FramedStream } from '../../framed-stream'
import { lastPeerId } from '../../addrs'
import { ICE_PROTOCOL, ICE_STEP_TIMEOUT_MS, MAX_ICE_FRAME_BYTES, MAX_OUTBOUND_STREAMS } from './constants'
import { IceRefusedError } from './errors'
import { AfterAsk, AfterProve, MAX_DEPUTIES, type IceServerEntry } from './messages'
import { iceProof, meetingTag, relayMeetingKey } from './proof'

/** A relay as an invite names it: its peer id and the addresses to dial it on (each may end in /p2p/<id>). */
export interface RelayRef {
  peerId: string
  addrs: string[]
}

export interface FetchedIceServers {
  /** RTCIceServer-shaped (what settings and RTCPeerConnection take). */
  iceServers: IceServerEntry[]
  /** ms since the epoch, on this machine's clock: ask again before this. */
  expiresAt: number
  /** When to ask again: two thirds into the credential's life. */
  refreshAt: number
  relay: string
}

/**
 * Ask one of the meeting's relays for STUN and TURN servers with a fresh credential, proving we
 * hold the meeting's room key (without sending it: see proof.ts). Throws IceRefusedError with
 * the relay's reason when it says no, or the dial or stream error when it cannot be reached.
 * `retiring`: the room key this one replaced, which the relay is asked to refuse from now on
 * (it does only for the device that named the meeting to it, or a deputy that device named).
 * `deputies`: the co-hosts who may retire the key at this relay too (heeded only from the device
 * that named the meeting to it).
 */
export async function fetchIceServers(
  node: Pick<Libp2p, 'dialProtocol' | 'peerId'>,
  relay: RelayRef | string,
  roomKey: Uint8Array,
  signal?: AbortSignal,
  retiring?: Uint8Array,
  deputies: readonly string[] = []
): Promise<FetchedIceServers> {
  const { peerId, addrs } = relayTarget(relay)
  const key = relayMeetingKey(roomKey, peerId.toString())
  const tag = meetingTag(key)
  const stepSignal = () => AbortSignal.any([AbortSignal.timeout(ICE_STEP_TIMEOUT_MS * 2), ...(signal ? [signal] : [])])
  // Dialling the addresses with the peer id in them: Noise proves we talk to that relay.
  const stream = await node.dialProtocol(addrs.length > 0 ? addrs : peerId, ICE_PROTOCOL, {
    signal: stepSignal(),
    maxOutboundStreams: MAX_OUTBOUND_STREAMS
  })
  const framed = new FramedStream(stream, {
    maxFrameBytes: MAX_ICE_FRAME_BYTES,
    readTimeoutMs: ICE_STEP_TIMEOUT_MS,
    writeTimeoutMs: ICE_STEP_TIMEOUT_MS
  })
  try {
    await framed.write({ t: 'ask', v: 1, tag })
    const challenge = await framed.read(AfterAsk)
    if (challenge.t === 'refuse') throw new IceRefusedError(challenge.code, challenge.reason)
    const transcript = { relay: peerId.toString(), member: node.peerId.toString(), nonce: challenge.nonce }
    const proof = iceProof(key, { ...transcript, tag })
    const old = retiring ? relayMeetingKey(retiring, peerId.toString()) : null
    const retire = old ? { tag: meetingTag(old), proof: iceProof(old, { ...transcript, tag: meetingTag(old) }) } : null
    await framed.write({
      t: 'prove',
      proof,
      ...(challenge.known ? {} : { key: base64urlnopad.encode(key) }),
      ...(retire ? { retire } : {}),
      ...(deputies.length > 0 ? { deputies: deputies.slice(0, MAX_DEPUTIES) } : {})
    })
    const answer = await framed.read(AfterProve)
    if (answer.t === 'refuse') throw new IceRefusedError(answer.code, answer.reason)
    await framed.close()
    const now = Date.now()
    return {
      iceServers: answer.iceServers,
      expiresAt: now + answer.ttl * 1000,
      refreshAt: now + Math.floor((answer.ttl * 1000 * 2) / 3),
      relay: peerId.toString()
    }
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

function relayTarget(relay: RelayRef | string): { peerId: PeerId; addrs: Multiaddr[] } {
  if (typeof relay === 'string') {
    const ma = multiaddr(relay)
    const id = lastPeerId(ma)
    if (!id) throw new Error(`relay address ${relay} has no /p2p/<peer id>`)
    return { peerId: peerIdFromString(id), addrs: [ma] }
  }
  const peerId = peerIdFromString(relay.peerId)
  const addrs = relay.addrs.map((a) => {
    const ma = multiaddr(a)
    const id = lastPeerId(ma)
    if (id && id !== relay.peerId) throw new Error(`relay address ${a} is not for ${relay.peerId}`)
    return id ? ma : ma.encapsulate(`/p2p/${relay.peerId}`)
  })
  return { peerId, addrs }
}
