import type { AbortOptions, ComponentLogger, Connection, Logger, PeerId, Startable, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { RateLimiter } from '@libp2p/utils'
import { InvalidFrameError } from '../../errors'
import { DEFAULT_GUARD, PeerGuard, type PeerGuardOptions } from '../../peer-guard'
import {
  FILE_PROTOCOL,
  MAX_FILE_BYTES,
  MAX_INBOUND_STREAMS,
  MAX_INBOUND_TRANSFERS,
  MAX_OFFERS_PER_MINUTE,
  MAX_OUTBOUND_STREAMS,
  MAX_TRANSFERS_PER_PEER,
  OFFER_TIMEOUT_MS,
  OPEN_TIMEOUT_MS
} from './constants'
import { FileChannel } from './file-channel'
import type { OfferFrame } from './messages'

/** What the file protocol asks of the app. */
export interface FileHost {
  /** May `peer` offer us files in the room whose id on the wire is `roomId`? Only live members, under the current key. */
  mayOffer(roomId: string, peer: PeerId): boolean
  /** A checked offer: the host owns the channel from here (answers, reads, closes it). */
  offered(offer: OfferFrame, channel: FileChannel): void
}

export interface FileProtocolInit {
  host: FileHost
  guard?: Partial<PeerGuardOptions>
  limits?: Partial<{ transfersPerPeer: number; offersPerMinute: number; inboundTransfers: number; offerTimeoutMs: number }>
}

export interface FileProtocolComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

/**
 * `/dym/file/1.0.0`: the sender opens one stream per file and receiver and offers; the receiver's
 * person accepts or declines; then the bytes, the sender's SHA-256, and the receiver's verdict.
 * This class does the gate (membership, sizes, per-peer slots and rates, strikes); the transfer
 * itself belongs to the host. Never on a relayed (limited) connection: a relay carries a few MiB
 * of signalling per connection, not files.
 */
export class FileProtocol implements Startable {
  readonly [Symbol.toStringTag] = '@dym/file-protocol'
  readonly guard: PeerGuard
  private readonly log: Logger
  private readonly offers: RateLimiter
  private readonly perPeer = new Map<string, number>()
  private total = 0
  private readonly limits: Required<NonNullable<FileProtocolInit['limits']>>
  private readonly streams = new Set<Stream>()
  private started = false

  constructor(
    private readonly components: FileProtocolComponents,
    private readonly init: FileProtocolInit
  ) {
    this.log = components.logger.forComponent('dym:file-protocol')
    this.guard = new PeerGuard({ ...DEFAULT_GUARD, framesPerSecond: 100_000, ...init.guard }, 'file')
    this.limits = {
      transfersPerPeer: MAX_TRANSFERS_PER_PEER,
      offersPerMinute: MAX_OFFERS_PER_MINUTE,
      inboundTransfers: MAX_INBOUND_TRANSFERS,
      offerTimeoutMs: OFFER_TIMEOUT_MS,
      ...init.limits
    }
    this.offers = new RateLimiter({ points: this.limits.offersPerMinute, duration: 60, keyPrefix: 'file:offers' })
    this.onStream = this.onStream.bind(this)
  }

  async start(): Promise<void> {
    await this.components.registrar.handle(FILE_PROTOCOL, this.onStream, {
      maxInboundStreams: MAX_INBOUND_STREAMS,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.started = true
  }

  async stop(): Promise<void> {
    await this.components.registrar.unhandle(FILE_PROTOCOL)
    for (const stream of this.streams) stream.abort(new Error('file transfers stopped'))
    this.streams.clear()
    this.started = false
  }

  isStarted(): boolean {
    return this.started
  }

  /** A stream to a member for one file (a direct connection: an existing one, else a dial). */
  async open(peer: PeerId, options: AbortOptions = {}): Promise<FileChannel> {
    const signal = AbortSignal.any([AbortSignal.timeout(OPEN_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])])
    const stream = await this.components.connectionManager.openStream(peer, FILE_PROTOCOL, {
      signal,
      maxOutboundStreams: MAX_OUTBOUND_STREAMS
    })
    this.track(stream)
    return new FileChannel(stream, peer)
  }

  /** A frame that broke the protocol mid-transfer (the host calls this). */
  strike(peer: PeerId, points = 1): void {
    this.guard.strike(peer.toString(), points)
  }

  /** Transfers being offered to or sent to us now (tests: slots are given back). */
  get inboundCount(): number {
    return this.total
  }

  private onStream(stream: Stream, connection: Connection): void {
    if (this.guard.isBanned(connection.remotePeer.toString())) {
      stream.abort(new Error('banned'))
      return
    }
    this.track(stream)
    void this.receive(new FileChannel(stream, connection.remotePeer)).catch((err: unknown) => {
      this.log('file offer from %p failed: %e', connection.remotePeer, err)
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    })
  }

  private async receive(channel: FileChannel): Promise<void> {
    const key = channel.key
    let offer: OfferFrame
    try {
      const frame = await channel.readControl(this.limits.offerTimeoutMs)
      if (frame.t !== 'offer') throw new InvalidFrameError(`expected an offer, got ${frame.t}`)
      offer = frame
    } catch (err) {
      // A silent stream holds a slot of the connection: that costs a strike too.
      this.guard.strike(key, err instanceof InvalidFrameError ? 2 : 1)
      channel.abort(err instanceof Error ? err : new Error(String(err)))
      return
    }
    if (!this.init.host.mayOffer(offer.room, channel.peer)) {
      this.guard.strike(key, 2)
      return channel.refuse('not-member', 'Only members of the same meeting can send files')
    }
    if (offer.size > MAX_FILE_BYTES) {
      this.guard.strike(key)
      return channel.refuse('too-large', 'Files of up to 2 GB can be sent')
    }
    try {
      this.offers.consume(key)
    } catch {
      this.guard.strike(key)
      return channel.refuse('rate-limited', 'Too many files offered in the last minute: wait a moment')
    }
    const mine = this.perPeer.get(key) ?? 0
    if (mine >= this.limits.transfersPerPeer || this.total >= this.limits.inboundTransfers)
      return channel.refuse('busy', 'Other files are still on their way: send this one when they are done')
    this.take(key, channel.stream)
    try {
      this.init.host.offered(offer, channel)
    } catch (err) {
      this.log.error('the file host failed - %e', err)
      channel.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  /** One slot of `key` until the stream ends, however it ends. */
  private take(key: string, stream: Stream): void {
    this.perPeer.set(key, (this.perPeer.get(key) ?? 0) + 1)
    this.total++
    let released = false
    const release = () => {
      if (released) return
      released = true
      this.total--
      const left = (this.perPeer.get(key) ?? 1) - 1
      if (left > 0) this.perPeer.set(key, left)
      else this.perPeer.delete(key)
    }
    if (stream.status !== 'open') release()
    else stream.addEventListener('close', release, { once: true })
  }

  private track(stream: Stream): void {
    this.streams.add(stream)
    const forget = () => this.streams.delete(stream)
    if (stream.status !== 'open') forget()
    else stream.addEventListener('close', forget, { once: true })
  }
}
