import type { ComponentLogger, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { RateLimiter } from '@libp2p/utils'
import { randomBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import { FramedStream } from '../../framed-stream'
import { DEFAULT_GUARD, PeerGuard, tryConsume } from '../../peer-guard'
import {
  ICE_PROTOCOL,
  ICE_STEP_TIMEOUT_MS,
  MAX_ICE_FRAME_BYTES,
  MAX_INBOUND_STREAMS,
  MAX_OUTBOUND_STREAMS,
  MAX_PENDING_REQUESTS,
  REGISTRATIONS_PER_HOUR,
  REQUESTS_PER_MINUTE
} from './constants'
import { Ask, Prove, type IceRefusalCode, type IceServerEntry } from './messages'
import { MeetingRegistry } from './meeting-registry'
import { checkIceProof, tagMatches } from './proof'

/** Where the relay's STUN/TURN servers and fresh credentials come from (its supervised coturn). */
export interface IceServerProvider {
  /** null while TURN is not running: the member is told so. */
  iceServers(): { iceServers: IceServerEntry[]; expiresAt: number } | null
}

export interface IceServiceInit {
  provider: IceServerProvider
  /** Who may name this relay in a new meeting; default: anyone. Members of a known meeting may always ask. */
  mayRegister?(peer: PeerId): boolean
  registry?: MeetingRegistry
  requestsPerMinute?: number
  registrationsPerHour?: number
  stepTimeoutMs?: number
}

export interface IceServiceComponents {
  registrar: Registrar
  logger: ComponentLogger
  peerId: PeerId
}

/**
 * `/dym/ice/1.0.0` on `dym relay`, in the shape of libp2p's own services: hands STUN and TURN
 * servers with a fresh credential to members who prove they hold a key of a meeting that names
 * this relay (see proof.ts). Per-peer limits on requests and on new meetings, a ban for repeated
 * bad proofs, a timeout on every step; nothing a peer sends can throw out of here.
 */
export class IceService implements Startable {
  readonly [Symbol.toStringTag] = '@dym/ice-service'
  readonly registry: MeetingRegistry
  readonly guard = new PeerGuard({ ...DEFAULT_GUARD, strikeBudget: 10, banSeconds: 300 }, 'ice')
  private readonly log: Logger
  private readonly requests: RateLimiter
  private readonly registrations: RateLimiter
  private pending = 0
  private started = false

  constructor(
    private readonly components: IceServiceComponents,
    private readonly init: IceServiceInit
  ) {
    this.log = components.logger.forComponent('dym:ice-service')
    this.registry = init.registry ?? new MeetingRegistry()
    this.requests = new RateLimiter({ points: init.requestsPerMinute ?? REQUESTS_PER_MINUTE, duration: 60, keyPrefix: 'ice:req' })
    this.registrations = new RateLimiter({
      points: init.registrationsPerHour ?? REGISTRATIONS_PER_HOUR,
      duration: 3600,
      keyPrefix: 'ice:reg'
    })
    this.onStream = this.onStream.bind(this)
  }

  async start(): Promise<void> {
    // Not on limited (relayed) connections: a member reaches the relay itself, directly.
    await this.components.registrar.handle(ICE_PROTOCOL, this.onStream, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(ICE_PROTOCOL)
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  private onStream(stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (this.guard.isBanned(peer) || this.pending >= MAX_PENDING_REQUESTS) {
      stream.abort(new Error('busy'))
      return
    }
    this.pending++
    const framed = new FramedStream(stream, {
      maxFrameBytes: MAX_ICE_FRAME_BYTES,
      readTimeoutMs: this.init.stepTimeoutMs ?? ICE_STEP_TIMEOUT_MS,
      writeTimeoutMs: ICE_STEP_TIMEOUT_MS
    })
    this.answer(framed, connection.remotePeer)
      .catch((err: unknown) => {
        this.log('ICE request from %p failed - %e', connection.remotePeer, err)
        if (err instanceof Error && err.name === 'InvalidFrameError') this.guard.strike(peer)
        framed.abort(err instanceof Error ? err : new Error(String(err)))
      })
      .finally(() => this.pending--)
  }

  private async answer(framed: FramedStream, peerId: PeerId): Promise<void> {
    const peer = peerId.toString()
    const refuse = async (code: IceRefusalCode, reason: string) => {
      await framed.write({ t: 'refuse', code, reason }).catch(() => undefined)
      await framed.close()
    }
    const ask = await framed.read(Ask)
    if (!tryConsume(this.requests, peer)) return refuse('rate-limited', 'Too many requests for ICE servers: try again in a minute')
    if (!this.init.provider.iceServers()) return refuse('no-turn', 'The TURN server of this relay is not running')

    if (this.registry.isRetired(ask.tag)) return refuse('retired', 'This meeting key was replaced: ask the meeting for a new invite')
    const known = this.registry.get(ask.tag)
    const nonce = base64urlnopad.encode(randomBytes(32))
    await framed.write({ t: 'challenge', nonce, known: known !== undefined })
    const prove = await framed.read(Prove)

    let key = known?.key
    if (!key) {
      if (!prove.key) return refuse('unknown-meeting', 'This relay does not know that meeting')
      const offered = decodeKey(prove.key)
      if (!offered || !tagMatches(offered, ask.tag)) {
        this.guard.strike(peer, 3)
        return refuse('bad-proof', 'That meeting key does not match its tag')
      }
      if (this.init.mayRegister && !this.init.mayRegister(peerId))
        return refuse('not-allowed', 'This relay serves only meetings started by the devices its operator listed')
      if (!tryConsume(this.registrations, peer)) return refuse('rate-limited', 'Too many new meetings from this device: try again later')
      key = offered
    }
    const transcript = { relay: this.components.peerId.toString(), member: peer, tag: ask.tag, nonce }
    if (!checkIceProof(key, transcript, prove.proof)) {
      this.guard.strike(peer, 3)
      return refuse('bad-proof', 'The proof of the meeting key is wrong: the invite may be outdated')
    }
    if (!this.registry.use(ask.tag, key, peer)) return refuse('full', 'This meeting has used this relay from too many devices')
    if (prove.deputies) this.registry.deputise(ask.tag, peer, prove.deputies)
    if (prove.retire) this.retire(prove.retire, ask.tag, nonce, peer)
    const servers = this.init.provider.iceServers()
    if (!servers) return refuse('no-turn', 'The TURN server of this relay is not running')
    const ttl = Math.max(1, Math.round((servers.expiresAt - Date.now()) / 1000))
    await framed.write({ t: 'servers', iceServers: servers.iceServers, expiresAt: servers.expiresAt, ttl })
    await framed.close()
  }

  /**
   * The meeting's previous key, retired by the device that named it here (the host, who replaced
   * the key when someone was removed) or a co-host it named, with a proof made with it. Anyone
   * else's retire is ignored: a member could otherwise cut the whole meeting off this relay's TURN.
   */
  private retire(old: { tag: string; proof: string }, newTag: string, nonce: string, peer: string): void {
    const previous = this.registry.get(old.tag)
    if (!previous || old.tag === newTag) return
    const transcript = { relay: this.components.peerId.toString(), member: peer, tag: old.tag, nonce }
    if (!checkIceProof(previous.key, transcript, old.proof)) {
      this.guard.strike(peer, 3)
      return
    }
    if (!this.registry.mayRetire(previous, peer)) {
      this.log('%s may not retire a meeting key it neither registered nor was named a deputy of', peer)
      return
    }
    this.registry.retire(old.tag)
    this.registry.hand(newTag, peer, previous)
  }
}

function decodeKey(text: string): Uint8Array | null {
  try {
    return base64urlnopad.decode(text)
  } catch {
    return null
  }
}
