import type { AbortOptions, ComponentLogger, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { SignalPayload } from '../../../../../shared/contract/rooms'
import { InvalidFrameError, NotMemberError } from '../../errors'
import { decodeFrame, encodeFrame, FramedStream, yieldToEventLoop } from '../../framed-stream'
import { DEFAULT_GUARD, PeerGuard, type PeerGuardOptions } from '../../peer-guard'
import {
  MAX_INBOUND_STREAMS,
  MAX_OUTBOUND_STREAMS,
  MAX_SIGNAL_FRAME_BYTES,
  MAX_SIGNAL_FRAMES_PER_SECOND,
  SIGNAL_IDLE_TIMEOUT_MS,
  SIGNAL_OPEN_TIMEOUT_MS,
  SIGNAL_PROTOCOL,
  SIGNAL_WRITE_TIMEOUT_MS
} from './constants'
import { SignalFrame } from './messages'

/** What signalling needs from the rooms layer. */
export interface SignalHost {
  /** Is `peer` a member of the room with this id that we are in? Nobody else may signal us. */
  isMember(roomId: string, peer: PeerId): boolean
  received(roomId: string, from: PeerId, signal: SignalPayload): void
  /** The connection our room session with `peer` runs on, if any: signalling goes there first. */
  connectionTo?(peer: PeerId): Connection | undefined
}

export interface SignalProtocolInit {
  host: SignalHost
  guard?: Partial<PeerGuardOptions>
  idleTimeoutMs?: number
}

export interface SignalProtocolComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/**
 * `/dym/signal/1.0.0`: one long-lived stream per peer pair, used by both sides. Whoever has a
 * message first opens it; if both open at once each side keeps writing on the stream it chose
 * first (so its messages stay in order) and reads from both.
 */
export class SignalProtocol implements Startable {
  readonly [Symbol.toStringTag] = '@dym/signal-protocol'
  readonly guard: PeerGuard
  private readonly log: Logger
  private started = false
  /** The stream we write on, per peer; a promise while it is being opened. */
  private readonly outbound = new Map<string, PeerStream | Promise<PeerStream>>()
  private readonly all = new Set<PeerStream>()
  private readonly idleTimeoutMs: number

  constructor(
    private readonly components: SignalProtocolComponents,
    private readonly init: SignalProtocolInit
  ) {
    this.log = components.logger.forComponent('dym:signal-protocol')
    this.guard = new PeerGuard({ ...DEFAULT_GUARD, framesPerSecond: MAX_SIGNAL_FRAMES_PER_SECOND, ...init.guard }, 'signal')
    this.idleTimeoutMs = init.idleTimeoutMs ?? SIGNAL_IDLE_TIMEOUT_MS
    this.onStream = this.onStream.bind(this)
  }

  async start(): Promise<void> {
    await this.components.registrar.handle(SIGNAL_PROTOCOL, this.onStream, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      runOnLimitedConnection: true
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(SIGNAL_PROTOCOL)
    for (const framed of this.all) framed.abort(new Error('signalling stopped'))
    this.all.clear()
    this.outbound.clear()
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  /** Send one message to a member; opens the stream to it if there is none yet. */
  async send(peer: PeerId, roomId: string, signal: SignalPayload, options: AbortOptions = {}): Promise<void> {
    const bytes = encodeFrame({ room: roomId, signal } satisfies SignalFrame, MAX_SIGNAL_FRAME_BYTES)
    const framed = await this.streamTo(peer, options)
    try {
      await framed.writeBytes(bytes, SIGNAL_WRITE_TIMEOUT_MS)
    } catch (err) {
      this.drop(peer.toString(), framed, err)
      throw err
    }
  }

  /** Open the stream ahead of the first message, so the first offer does not pay for it. */
  async warm(peer: PeerId, options: AbortOptions = {}): Promise<void> {
    await this.streamTo(peer, options)
  }

  /** A member left: close our streams with it. */
  forget(peer: PeerId): void {
    const key = peer.toString()
    for (const framed of [...this.all]) {
      if (framed.key === key) this.drop(key, framed, new Error('member left'))
    }
  }

  private async streamTo(peer: PeerId, options: AbortOptions): Promise<PeerStream> {
    const key = peer.toString()
    const existing = this.outbound.get(key)
    if (existing instanceof PeerStream && existing.open) return existing
    if (existing instanceof Promise) return existing
    const opening = (async () => {
      const signal = AbortSignal.any([AbortSignal.timeout(SIGNAL_OPEN_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])])
      const streamOptions = { runOnLimitedConnection: true, maxOutboundStreams: MAX_OUTBOUND_STREAMS, signal }
      // On the connection the room session runs on (a relayed one too): openStream would skip
      // a limited connection and dial again.
      const sessionConnection = this.init.host.connectionTo?.(peer)
      const stream =
        sessionConnection?.status === 'open'
          ? await sessionConnection.newStream(SIGNAL_PROTOCOL, streamOptions)
          : await this.components.connectionManager.openStream(peer, SIGNAL_PROTOCOL, streamOptions)
      return this.adopt(stream, peer)
    })()
    this.outbound.set(key, opening)
    try {
      const framed = await opening
      this.outbound.set(key, framed)
      return framed
    } catch (err) {
      if (this.outbound.get(key) === opening) this.outbound.delete(key)
      throw err
    }
  }

  private onStream(stream: Stream, connection: Connection): void {
    const key = connection.remotePeer.toString()
    if (this.guard.isBanned(key)) {
      stream.abort(new Error('banned'))
      return
    }
    const framed = this.adopt(stream, connection.remotePeer)
    if (!this.outbound.has(key)) this.outbound.set(key, framed)
  }

  private adopt(stream: Stream, peer: PeerId): PeerStream {
    const framed = new PeerStream(stream, peer, {
      maxFrameBytes: MAX_SIGNAL_FRAME_BYTES,
      readTimeoutMs: this.idleTimeoutMs,
      writeTimeoutMs: SIGNAL_WRITE_TIMEOUT_MS
    })
    this.all.add(framed)
    void this.readLoop(framed)
    return framed
  }

  private async readLoop(framed: PeerStream): Promise<void> {
    const key = framed.key
    for (let burst = 1; ; burst++) {
      if (burst % 32 === 0) await yieldToEventLoop()
      let bytes: Uint8Array
      try {
        bytes = await framed.readBytes()
      } catch (err) {
        // Idle, closed by the other side, reset, or an oversized length prefix: reopen on the next send.
        this.drop(key, framed, err)
        return
      }
      if (!this.guard.allowFrame(key)) {
        if (this.guard.isBanned(key)) return this.drop(key, framed, new Error('over the signalling rate'))
        continue
      }
      let frame: SignalFrame
      try {
        frame = decodeFrame(bytes, SignalFrame, MAX_SIGNAL_FRAME_BYTES)
        if (!this.init.host.isMember(frame.room, framed.peer)) throw new NotMemberError('not a member of that room')
      } catch (err) {
        this.log('dropped a signalling frame from %s: %s', key, err instanceof Error ? err.message : String(err))
        if (this.guard.strike(key, err instanceof InvalidFrameError ? 1 : 2) || this.guard.isBanned(key)) {
          return this.drop(key, framed, new Error('too many bad signalling frames'))
        }
        continue
      }
      try {
        this.init.host.received(frame.room, framed.peer, frame.signal)
      } catch (err) {
        this.log.error('signal handler failed - %e', err)
      }
    }
  }

  private drop(key: string, framed: PeerStream, err: unknown): void {
    this.all.delete(framed)
    if (this.outbound.get(key) === framed) this.outbound.delete(key)
    if (framed.open) framed.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

/** A framed stream that remembers which peer it belongs to. */
class PeerStream extends FramedStream {
  readonly key: string
  constructor(
    stream: Stream,
    readonly peer: PeerId,
    options: ConstructorParameters<typeof FramedStream>[1]
  ) {
    super(stream, options)
    this.key = peer.toString()
  }
}
