import type { ComponentLogger, Connection, Libp2p, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { RateLimiter } from '@libp2p/utils'
import { FramedStream } from '../../framed-stream'
import { DEFAULT_GUARD, PeerGuard, tryConsume } from '../../peer-guard'
import {
  ASKS_PER_MINUTE,
  ASKS_PER_PEER_PER_MINUTE,
  INVITE_PROTOCOL,
  INVITE_STEP_TIMEOUT_MS,
  MAX_INBOUND_STREAMS,
  MAX_INVITE_FRAME_BYTES,
  MAX_OUTBOUND_STREAMS
} from './constants'
import { Answer, Ask, type InviteRefusalCode } from './messages'
import { askProof, checkAskProof, codeKey } from './proof'

/** The meeting this device is in, as the invite protocol sees it. */
export interface InviteHost {
  /** Its short code and full invite now; null when not in a meeting. */
  current(): { code: string; invite(): string } | null
}

export interface InviteProtocolInit {
  host: InviteHost
}

export interface InviteProtocolComponents {
  registrar: Registrar
  logger: ComponentLogger
  peerId: PeerId
}

/** A member said no, or nothing usable came back. */
export class InviteRefusedError extends Error {
  override readonly name = 'InviteRefusedError'
  constructor(
    readonly code: InviteRefusalCode,
    reason: string
  ) {
    super(reason)
  }
}

/**
 * `/dym/invite/1.0.0`: hands this meeting's full invite to a device that proves it holds the
 * meeting's short code (proof.ts). One question per stream, limits per peer and overall, a
 * timeout on every step; a wrong code is answered like no meeting at all.
 */
export class InviteProtocol implements Startable {
  readonly [Symbol.toStringTag] = '@dym/invite-protocol'
  readonly guard = new PeerGuard({ ...DEFAULT_GUARD, strikeBudget: 5, banSeconds: 300 }, 'invite')
  private readonly log: Logger
  private readonly perPeer = new RateLimiter({ points: ASKS_PER_PEER_PER_MINUTE, duration: 60, keyPrefix: 'invite:peer' })
  private readonly overall = new RateLimiter({ points: ASKS_PER_MINUTE, duration: 60, keyPrefix: 'invite:all' })
  private started = false

  constructor(
    private readonly components: InviteProtocolComponents,
    private readonly init: InviteProtocolInit
  ) {
    this.log = components.logger.forComponent('dym:invite')
    this.onStream = this.onStream.bind(this)
  }

  async start(): Promise<void> {
    // Also over a relay: the member a joiner finds in the DHT may be reachable only that way.
    await this.components.registrar.handle(INVITE_PROTOCOL, this.onStream, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(INVITE_PROTOCOL)
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  private onStream(stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (this.guard.isBanned(peer)) {
      stream.abort(new Error('banned'))
      return
    }
    const framed = new FramedStream(stream, {
      maxFrameBytes: MAX_INVITE_FRAME_BYTES,
      readTimeoutMs: INVITE_STEP_TIMEOUT_MS,
      writeTimeoutMs: INVITE_STEP_TIMEOUT_MS
    })
    this.answer(framed, peer).catch((err: unknown) => {
      this.log('invite question from %s failed - %e', peer, err)
      if (err instanceof Error && err.name === 'InvalidFrameError') this.guard.strike(peer)
      framed.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }

  private async answer(framed: FramedStream, peer: string): Promise<void> {
    const refuse = async (code: InviteRefusalCode, reason: string) => {
      await framed.write({ t: 'refuse', code, reason })
      await framed.close()
    }
    const ask = await framed.read(Ask)
    if (!tryConsume(this.perPeer, peer)) return refuse('rate-limited', 'Too many codes tried from this device: wait a minute')
    if (!tryConsume(this.overall, 'all')) return refuse('busy', 'Too many codes tried here just now: wait a minute, or use the invite link')
    const meeting = this.init.host.current()
    const key = meeting ? await codeKey(meeting.code) : null
    if (!meeting || !key || !checkAskProof(key, this.components.peerId.toString(), peer, ask.proof))
      return refuse('unknown', 'No meeting here answers to that code')
    this.log('handing the invite to %s, who holds the code', peer)
    await framed.write({ t: 'invite', invite: meeting.invite() })
    await framed.close()
  }
}

/**
 * Ask one peer for the invite of the meeting whose code derived `key`. Resolves with the invite
 * text as the peer sent it (the caller checks it belongs to the code); throws InviteRefusedError
 * when the peer says no, or the dial or stream error.
 */
export async function askForInvite(
  node: Pick<Libp2p, 'dialProtocol' | 'peerId'>,
  peer: PeerId,
  key: Uint8Array,
  signal: AbortSignal
): Promise<string> {
  const stream = await node.dialProtocol(peer, INVITE_PROTOCOL, {
    signal: AbortSignal.any([signal, AbortSignal.timeout(INVITE_STEP_TIMEOUT_MS * 2)]),
    maxOutboundStreams: MAX_OUTBOUND_STREAMS,
    runOnLimitedConnection: true
  })
  const framed = new FramedStream(stream, {
    maxFrameBytes: MAX_INVITE_FRAME_BYTES,
    readTimeoutMs: INVITE_STEP_TIMEOUT_MS,
    writeTimeoutMs: INVITE_STEP_TIMEOUT_MS
  })
  try {
    await framed.write({ t: 'ask', v: 1, proof: askProof(key, peer.toString(), node.peerId.toString()) })
    const answer = await framed.read(Answer)
    await framed.close()
    if (answer.t === 'refuse') throw new InviteRefusedError(answer.code, answer.reason)
    return answer.invite
  } catch (err) {
    framed.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
