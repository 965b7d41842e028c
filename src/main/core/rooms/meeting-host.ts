import type { AbortOptions, Connection, PeerId } from '@libp2p/interface'
import type { SignalPayload } from '../../../shared/contract/rooms'
import type { PeerCheck, PeerIdentity } from '../identity/peer-identity'
import type { Logger } from '../log'
import type { Admission, RoomFacts, RoomHost, RoomSession } from '../p2p/protocols/room/index'
import type { SignalHost } from '../p2p/protocols/signal/index'
import type { FileChannel, FileHost, Offer } from '../p2p/protocols/file/index'
import type { FileInbox } from '../transfers/transfer-service'
import type { Emit } from '../service'
import type { Meeting } from './meeting'

/**
 * What the room and signalling protocols ask of the app, answered for the meeting we are in (if
 * any): the protocols do the wire and the crypto, the meeting decides. Holds no state of its own.
 */
export class MeetingHost implements RoomHost, SignalHost, FileHost {
  constructor(
    private readonly identity: () => PeerIdentity,
    private readonly meeting: () => Meeting | null,
    private readonly emit: Emit,
    private readonly log: Logger,
    private readonly files?: FileInbox,
    private readonly strikeFile?: (peer: PeerId, points: number) => void
  ) {}

  /** The meeting a handshake names (by its id on the wire now) if we are fully in it. */
  joined(wireId: string): Meeting | null {
    const m = this.meeting()
    return m && m.joined && m.wireId === wireId ? m : null
  }

  /** The meeting a signal names, by any id it has had on the wire (a member may not have the new key yet). */
  private signalled(wireId: string): Meeting | null {
    const m = this.meeting()
    return m && m.joined && m.knowsWireId(wireId) ? m : null
  }

  // ---- RoomHost ----

  roomKey(roomId: string): Uint8Array | null {
    return this.joined(roomId)?.key ?? null
  }

  retiredKey(roomId: string): string | undefined {
    const m = this.meeting()
    if (!m?.joined || m.wireId === roomId || !m.knowsWireId(roomId)) return undefined
    return "The host replaced this meeting's key: this invite no longer lets anyone in. Ask for a new invite."
  }

  async presentation(): Promise<unknown> {
    const p = await this.identity().presentation()
    if (p === null) throw new Error('nobody is signed in')
    return p
  }

  async verify(presentation: unknown, peer: PeerId): Promise<PeerCheck> {
    if (peer.type !== 'Ed25519' || !peer.publicKey) return { ok: false, reason: 'this app only meets Ed25519 device keys' }
    try {
      const check = await this.identity().verifyPeer(presentation, peer.publicKey.raw, peer.toString())
      return check.ok ? { ok: true, person: { ...check.person, peerId: peer.toString() } } : check
    } catch (err) {
      this.log.warn('verifying a peer failed', err)
      return { ok: false, reason: 'the credential could not be checked' }
    }
  }

  async admit(
    roomId: string,
    peer: PeerId,
    person: Parameters<RoomHost['admit']>[2],
    wait: (reason: string) => Promise<void>,
    options: AbortOptions
  ): Promise<Admission> {
    const meeting = this.joined(roomId)
    if (!meeting) return { ok: false, code: 'not-member', reason: 'That meeting is not running here: the invite may be outdated or wrong' }
    return meeting.admit(peer, person, wait, options.signal)
  }

  async facts(roomId: string, forPeer?: PeerId): Promise<RoomFacts> {
    const meeting = this.joined(roomId)
    if (!meeting) throw new Error('not in that room')
    return meeting.facts(forPeer)
  }

  sessionOpened(session: RoomSession): void {
    const meeting = this.meeting()
    if (meeting) meeting.attach(session)
    else void session.close('local')
  }

  // ---- SignalHost ----

  isMember(roomId: string, peer: PeerId): boolean {
    return this.signalled(roomId)?.acceptsSignalFrom(peer.toString()) ?? false
  }

  received(roomId: string, from: PeerId, signal: SignalPayload): void {
    // The UI knows the meeting by the id it joined with, whatever the key is now.
    const meeting = this.signalled(roomId)
    if (meeting) this.emit('signal.received', { roomId: meeting.roomId, from: from.toString(), signal })
  }

  // ---- FileHost ----

  /** Files only from members with a live session, under the meeting's current key. */
  mayOffer(roomId: string, peer: PeerId): boolean {
    return this.files !== undefined && (this.joined(roomId)?.isLiveMember(peer.toString()) ?? false)
  }

  offered(offer: Offer, channel: FileChannel): void {
    const meeting = this.joined(offer.room)
    const from = meeting?.personOf(channel.peer.toString())
    if (!meeting || !from || !this.files) return void channel.refuse('not-member', 'Only members of the same meeting can send files')
    this.files.offered({
      roomId: meeting.roomId,
      from,
      offer,
      channel,
      closed: meeting.closed,
      strike: (points) => this.strikeFile?.(channel.peer, points)
    })
  }

  connectionTo(peer: PeerId): Connection | undefined {
    return this.meeting()
      ?.liveSessions()
      .find((s) => s.peer.equals(peer))?.connection
  }
}
