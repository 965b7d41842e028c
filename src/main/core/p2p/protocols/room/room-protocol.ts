import { joinTrace } from '../../../join-trace'
import type { AbortOptions, ComponentLogger, Connection, DialTarget, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import type { PersonView } from '../../../../../shared/contract/people'
import type { PeerCheck } from '../../../identity/peer-identity'
import { RefusedError, type RefusalCode } from '../../errors'
import { FramedStream } from '../../framed-stream'
import { DEFAULT_GUARD, PeerGuard, type PeerGuardOptions } from '../../peer-guard'
import {
  ADMIT_TIMEOUT_MS,
  HANDSHAKE_STEP_TIMEOUT_MS,
  HELLO_TIMEOUT_MS,
  MAX_HANDSHAKES_PER_PEER,
  MAX_INBOUND_STREAMS,
  MAX_OUTBOUND_STREAMS,
  MAX_PENDING_HANDSHAKES,
  MAX_ROOM_FRAME_BYTES,
  ROOM_PROTOCOL,
  WRITE_TIMEOUT_MS
} from './constants'
import { AfterAuth, AfterHello, AfterWelcome, Auth, Hello, type RoomFacts } from './messages'
import { HandshakeSlots, type HandshakeSlot } from './handshake-slots'
import { checkRoomProof, newInstanceId, newNonce, roomProof, type Transcript } from './proof'
import { RoomSession } from './session'

export type Admission = { ok: true } | { ok: false; code: RefusalCode; reason: string }

/**
 * What the room protocol needs from the rooms layer: which rooms we are in, who we are, who
 * others are, who may come in. The protocol does the wire and the crypto; the host decides.
 */
export interface RoomHost {
  /** The key of the room with this id if we are in it, else null (the joiner is told so). */
  roomKey(roomId: string): Uint8Array | null
  /** Why an id our meeting had before its key was replaced is no longer let in (else undefined). */
  retiredKey?(roomId: string): string | undefined
  presentation(): Promise<unknown>
  /** Check a presentation against the key Noise proved for `peer`. */
  verify(presentation: unknown, peer: PeerId): Promise<PeerCheck>
  /** May this verified person come in? May take a while (ask-to-join); `wait` tells the joiner why. */
  admit(
    roomId: string,
    peer: PeerId,
    person: PersonView,
    wait: (reason: string) => Promise<void>,
    options: AbortOptions
  ): Promise<Admission>
  /** Room facts and the members a newcomer (`forPeer`, when it is one joining us) should connect to. */
  facts(roomId: string, forPeer?: PeerId): Promise<RoomFacts>
  /** A member joined us (we were dialled); attach handlers with `session.start`. */
  sessionOpened(session: RoomSession): void
}

export interface RoomProtocolInit {
  host: RoomHost
  guard?: Partial<PeerGuardOptions>
  handshakeStepTimeoutMs?: number
  admitTimeoutMs?: number
  heartbeatMs?: number
  idleTimeoutMs?: number
}

export interface RoomProtocolComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
  peerId: PeerId
}

export interface JoinOptions extends AbortOptions {
  /** The host of an ask-to-join room is deciding; called with the reason shown to the joiner. */
  onWait?(reason: string): void
}

/**
 * `/dym/room/1.0.0`, in the shape of libp2p's own services (see @libp2p/ping): a Startable
 * registered with the registrar, limits on inbound streams, a timeout on every read and write,
 * typed errors. A bad frame is dropped and the peer penalised; nothing a peer sends can throw
 * out of here.
 */
export class RoomProtocol implements Startable {
  readonly [Symbol.toStringTag] = '@dym/room-protocol'
  readonly instance = newInstanceId()
  readonly guard: PeerGuard
  private readonly log: Logger
  private started = false
  private readonly handshakes = new HandshakeSlots(MAX_PENDING_HANDSHAKES, MAX_HANDSHAKES_PER_PEER)
  private readonly stepTimeout: number
  private readonly admitTimeout: number

  constructor(
    private readonly components: RoomProtocolComponents,
    private readonly init: RoomProtocolInit
  ) {
    this.log = components.logger.forComponent('dym:room-protocol')
    this.guard = new PeerGuard({ ...DEFAULT_GUARD, ...init.guard }, 'room')
    this.stepTimeout = init.handshakeStepTimeoutMs ?? HANDSHAKE_STEP_TIMEOUT_MS
    this.admitTimeout = init.admitTimeoutMs ?? ADMIT_TIMEOUT_MS
    this.onStream = this.onStream.bind(this)
  }

  async start(): Promise<void> {
    await this.components.registrar.handle(ROOM_PROTOCOL, this.onStream, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      // Members behind NATs meet over a relay first: the handshake must run there too.
      runOnLimitedConnection: true
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(ROOM_PROTOCOL)
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  private framed(stream: Stream): FramedStream {
    return new FramedStream(stream, {
      maxFrameBytes: MAX_ROOM_FRAME_BYTES,
      readTimeoutMs: this.stepTimeout,
      writeTimeoutMs: WRITE_TIMEOUT_MS
    })
  }

  /** Inbound: return at once (the handshake may wait minutes for a host's answer). */
  private onStream(stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    const slot = this.guard.isBanned(peer)
      ? null
      : this.handshakes.take(peer, () => {
          // Pushed out by a newcomer while it had not said hello: it was only holding a place.
          this.guard.strike(peer)
          stream.abort(new RefusedError('busy', 'said nothing'))
        })
    if (!slot) {
      // A joiner needs one handshake at a time: more is a strike. A banned peer keeps its
      // connection (hanging up only makes it reconnect, which costs us a Noise handshake each
      // time and uses up the connection rate of everyone behind the same address); new
      // connections from it are refused (the node's connection gater) until the ban runs out.
      if (!this.guard.isBanned(peer)) this.guard.strike(peer)
      stream.abort(new RefusedError('busy', 'too many join attempts'))
      return
    }
    this.respond(stream, connection, slot)
      .catch((err: unknown) => {
        this.log('handshake with %p failed - %e', connection.remotePeer, err)
        if (err instanceof Error && (err.name === 'InvalidFrameError' || err.name === 'FrameTimeoutError')) this.guard.strike(peer)
        stream.abort(err instanceof Error ? err : new Error(String(err)))
      })
      .finally(() => slot.release())
  }

  private async respond(stream: Stream, connection: Connection, slot: HandshakeSlot): Promise<void> {
    const framed = this.framed(stream)
    const peer = connection.remotePeer
    const host = this.init.host
    const refuse = async (code: RefusalCode, reason: string) => {
      await framed.write({ t: 'refuse', code, reason }).catch(() => undefined)
      await framed.close()
    }
    let hello
    try {
      hello = await framed.read(Hello, Math.min(HELLO_TIMEOUT_MS, this.stepTimeout))
      joinTrace?.step(`handshake from ${peer.toString()}`)
      slot.heard()
    } catch (err) {
      if (err instanceof Error && err.name === 'InvalidFrameError') {
        this.guard.strike(peer.toString())
        return refuse('protocol', 'That was not a join request this app understands')
      }
      throw err
    }
    const key = host.roomKey(hello.room)
    if (!key) {
      const retired = host.retiredKey?.(hello.room)
      if (retired) return refuse('declined', retired)
      return refuse('not-member', 'That meeting is not running here: the invite may be outdated or wrong')
    }
    const t: Transcript = {
      roomId: hello.room,
      initiator: peer.toString(),
      responder: this.components.peerId.toString(),
      initiatorNonce: hello.nonce,
      responderNonce: newNonce(),
      initiatorInstance: hello.instance,
      responderInstance: this.instance
    }
    await framed.write({ t: 'challenge', nonce: t.responderNonce, proof: roomProof(key, 'responder', t), instance: this.instance })
    const auth = await framed.read(Auth)
    if (!checkRoomProof(key, 'initiator', t, auth.proof)) {
      this.guard.strike(peer.toString(), 5)
      return refuse('wrong-key', 'The meeting key in your invite is wrong: ask for a new invite')
    }
    const check = await host.verify(auth.presentation, peer)
    if (!check.ok) return refuse('identity', `Your identity could not be verified: ${check.reason}`)

    const closed = new AbortController()
    const onClose = () => closed.abort(new Error('joiner went away'))
    stream.addEventListener('close', onClose, { once: true })
    let admission: Admission
    try {
      admission = await host.admit(hello.room, peer, check.person, (reason) => framed.write({ t: 'wait', reason }), {
        signal: AbortSignal.any([closed.signal, AbortSignal.timeout(this.admitTimeout)])
      })
    } finally {
      stream.removeEventListener('close', onClose)
    }
    if (!admission.ok) return refuse(admission.code, admission.reason)
    // Our room may have ended while the host was deciding.
    if (!host.roomKey(hello.room)) return refuse('not-member', 'This person left the meeting')

    await framed.write({ t: 'welcome', presentation: await host.presentation(), room: await host.facts(hello.room, peer) })
    joinTrace?.step(`welcomed ${peer.toString()}`)
    const ready = await framed.read(AfterWelcome)
    if (ready.t === 'refuse') {
      await framed.close()
      throw new RefusedError(ready.code, ready.reason)
    }
    const session = new RoomSession(
      {
        roomId: hello.room,
        peer,
        person: check.person,
        initiator: false,
        remoteInstance: hello.instance,
        connection,
        heartbeatMs: this.init.heartbeatMs,
        idleTimeoutMs: this.init.idleTimeoutMs
      },
      framed,
      this.guard,
      this.log
    )
    host.sessionOpened(session)
  }

  /**
   * Dial a member and join the room through it. Resolves with a session that has not started
   * reading yet (call `start`); throws RefusedError with the member's reason when refused.
   */
  async join(target: DialTarget, roomId: string, roomKey: Uint8Array, options: JoinOptions = {}): Promise<RoomSession> {
    const connection = await this.components.connectionManager.openConnection(target, { signal: options.signal })
    const peer = connection.remotePeer
    joinTrace?.step(`connected to ${peer.toString()}`)
    if (peer.equals(this.components.peerId)) throw new RefusedError('protocol', 'That invite address is our own')
    const stream = await connection.newStream(ROOM_PROTOCOL, {
      runOnLimitedConnection: true,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS,
      signal: anySignal(options.signal, AbortSignal.timeout(this.stepTimeout))
    })
    const framed = this.framed(stream)
    try {
      return await this.initiate(framed, connection, roomId, roomKey, options)
    } catch (err) {
      framed.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
  }

  private async initiate(
    framed: FramedStream,
    connection: Connection,
    roomId: string,
    roomKey: Uint8Array,
    options: JoinOptions
  ): Promise<RoomSession> {
    const peer = connection.remotePeer
    const host = this.init.host
    const nonce = newNonce()
    await framed.write({ t: 'hello', v: 1, room: roomId, nonce, instance: this.instance })
    const challenge = await framed.read(AfterHello)
    if (challenge.t === 'refuse') throw new RefusedError(challenge.code, challenge.reason)
    const t: Transcript = {
      roomId,
      initiator: this.components.peerId.toString(),
      responder: peer.toString(),
      initiatorNonce: nonce,
      responderNonce: challenge.nonce,
      initiatorInstance: this.instance,
      responderInstance: challenge.instance
    }
    if (!checkRoomProof(roomKey, 'responder', t, challenge.proof)) {
      await framed.write({ t: 'refuse', code: 'wrong-key', reason: 'You do not hold this meeting key' }).catch(() => undefined)
      throw new RefusedError(
        'wrong-key',
        'The member at that address could not prove it holds this meeting key: your invite may be wrong or outdated'
      )
    }
    await framed.write({ t: 'auth', proof: roomProof(roomKey, 'initiator', t), presentation: await host.presentation() })

    let timeout = this.stepTimeout
    for (;;) {
      options.signal?.throwIfAborted()
      const answer = await framed.read(AfterAuth, timeout)
      if (answer.t === 'refuse') throw new RefusedError(answer.code, answer.reason)
      if (answer.t === 'wait') {
        options.onWait?.(answer.reason)
        timeout = this.admitTimeout + this.stepTimeout
        continue
      }
      joinTrace?.step(`welcome from ${peer.toString()}`)
      const check = await host.verify(answer.presentation, peer)
      if (!check.ok) {
        await framed
          .write({ t: 'refuse', code: 'identity', reason: `Your identity could not be verified: ${check.reason}` })
          .catch(() => undefined)
        throw new RefusedError('identity', `A member could not be verified: ${check.reason}`)
      }
      await framed.write({ t: 'ready' })
      return new RoomSession(
        {
          roomId,
          peer,
          person: check.person,
          initiator: true,
          remoteInstance: challenge.instance,
          connection,
          facts: answer.room,
          heartbeatMs: this.init.heartbeatMs,
          idleTimeoutMs: this.init.idleTimeoutMs
        },
        framed,
        this.guard,
        this.log
      )
    }
  }
}

function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined))
}
