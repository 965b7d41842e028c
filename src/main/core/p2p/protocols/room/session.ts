import type { Connection, Logger, PeerId } from '@libp2p/interface'
import type { PersonView } from '../../../../../shared/contract/people'
import { InvalidFrameError } from '../../errors'
import { decodeFrame, yieldToEventLoop, type FramedStream } from '../../framed-stream'
import type { PeerGuard } from '../../peer-guard'
import { HEARTBEAT_INTERVAL_MS, MAX_ROOM_FRAME_BYTES, SESSION_IDLE_TIMEOUT_MS } from './constants'
import { SessionFrame, type RoomFacts } from './messages'

/** Why a session ended: the member said goodbye, went silent, its connection dropped, ... */
export type SessionEnd = 'left' | 'timeout' | 'closed' | 'superseded' | 'local' | 'banned'

export interface SessionHandlers {
  frame(frame: Exclude<SessionFrame, { t: 'hb' } | { t: 'leave' }>): void
  end(reason: SessionEnd): void
}

export interface RoomSessionInit {
  roomId: string
  peer: PeerId
  person: PersonView
  /** true when we dialled (we sent hello) */
  initiator: boolean
  remoteInstance: string
  connection: Connection
  /** what the responder told us about the room (only when we are the initiator) */
  facts?: RoomFacts
  heartbeatMs?: number
  idleTimeoutMs?: number
}

/**
 * One authenticated member-to-member link in a room: a long-lived stream carrying heartbeats,
 * chat, notices and member lists. It ends on a `leave`, on silence longer than the idle
 * timeout, when the stream or connection drops, or when the peer misbehaves.
 */
export class RoomSession {
  readonly roomId: string
  readonly peer: PeerId
  readonly person: PersonView
  readonly initiator: boolean
  readonly remoteInstance: string
  readonly connection: Connection
  readonly facts?: RoomFacts
  readonly openedAt = Date.now()
  private ended: SessionEnd | null = null
  /** replaced by a newer session to the same member: no longer used, but still read until it closes */
  private retired = false
  private handlers: SessionHandlers | null = null
  private heartbeat: ReturnType<typeof setInterval> | null = null
  private readonly heartbeatMs: number
  private readonly idleTimeoutMs: number

  constructor(
    init: RoomSessionInit,
    private readonly framed: FramedStream,
    private readonly guard: PeerGuard,
    private readonly log: Logger
  ) {
    this.roomId = init.roomId
    this.peer = init.peer
    this.person = init.person
    this.initiator = init.initiator
    this.remoteInstance = init.remoteInstance
    this.connection = init.connection
    this.facts = init.facts
    this.heartbeatMs = init.heartbeatMs ?? HEARTBEAT_INTERVAL_MS
    this.idleTimeoutMs = init.idleTimeoutMs ?? SESSION_IDLE_TIMEOUT_MS
  }

  get alive(): boolean {
    return this.ended === null && !this.retired
  }

  get endReason(): SessionEnd | null {
    return this.ended
  }

  /** Relayed connections are `limited`; a direct one (TCP, WebSockets, WebRTC) is not. */
  get relayed(): boolean {
    return this.connection.limits != null || !this.connection.direct
  }

  /** Attach the room's handlers and start reading; nothing is read before this. */
  start(handlers: SessionHandlers): void {
    if (this.handlers) return
    this.handlers = handlers
    this.heartbeat = setInterval(() => {
      this.send({ t: 'hb' }).catch(() => this.finish('closed'))
    }, this.heartbeatMs)
    this.heartbeat.unref?.()
    void this.readLoop()
  }

  async send(frame: SessionFrame): Promise<void> {
    if (!this.alive) throw new Error(`session with ${this.peer} has ended (${this.ended ?? 'superseded'})`)
    await this.framed.write(frame)
  }

  /**
   * End it from our side: `left` tells the member we are leaving, `local` just closes.
   * `superseded` (a newer session to the same member won) only closes our writing end: what
   * the member sent on this one before it switched still arrives, so no chat is lost.
   */
  async close(reason: 'left' | 'local' | 'superseded'): Promise<void> {
    if (this.ended || this.retired) return
    if (reason === 'superseded') {
      this.retired = true
      this.stopHeartbeat()
      await this.framed.close()
      return
    }
    if (reason === 'left') await this.send({ t: 'leave' }).catch(() => undefined)
    this.finish(reason)
    await this.framed.close()
  }

  private async readLoop(): Promise<void> {
    const peer = this.peer.toString()
    let burst = 0
    while (!this.ended) {
      // Buffered frames resolve reads as microtasks: yield now and then, or one flooding peer
      // starves every socket and timer (and honest members time out).
      if (++burst % 32 === 0) await yieldToEventLoop()
      let bytes: Uint8Array
      try {
        bytes = await this.framed.readBytes(this.idleTimeoutMs)
      } catch (err) {
        if (this.ended) return
        const name = err instanceof Error ? err.name : ''
        this.log('session with %p ended reading: %s', this.peer, name)
        this.finish(name === 'FrameTimeoutError' ? 'timeout' : 'closed')
        this.framed.abort(err instanceof Error ? err : new Error(String(err)))
        return
      }
      if (this.ended) return
      if (!this.guard.allowFrame(peer)) {
        if (this.guard.isBanned(peer)) return this.ban('over its frame rate')
        continue
      }
      let frame: SessionFrame
      try {
        frame = decodeFrame(bytes, SessionFrame, MAX_ROOM_FRAME_BYTES)
      } catch (err) {
        this.log('dropped a bad frame from %p: %s', this.peer, err instanceof InvalidFrameError ? err.message : String(err))
        if (this.guard.strike(peer) || this.guard.isBanned(peer)) return this.ban('sending bad frames')
        continue
      }
      if (frame.t === 'hb') continue
      if (frame.t === 'leave') {
        this.finish('left')
        await this.framed.close()
        return
      }
      try {
        this.handlers?.frame(frame)
      } catch (err) {
        this.log.error('room frame handler failed - %e', err)
      }
    }
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat)
    this.heartbeat = null
  }

  private ban(why: string): void {
    this.log('banning %p: %s', this.peer, why)
    this.finish('banned')
    this.framed.abort(new Error(`banned: ${why}`))
  }

  private finish(reason: SessionEnd): void {
    if (this.ended) return
    this.ended = reason
    this.stopHeartbeat()
    try {
      this.handlers?.end(reason)
    } catch (err) {
      this.log.error('session end handler failed - %e', err)
    }
  }
}
