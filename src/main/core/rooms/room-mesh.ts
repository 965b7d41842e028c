import type { AbortOptions, DialTarget, PeerId } from '@libp2p/interface'
import { isPeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { RateLimiter } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { PersonView } from '../../../shared/contract/people'
import type { SignalPayload } from '../../../shared/contract/rooms'
import type { PeerCheck, PeerIdentity } from '../identity/peer-identity'
import type { Logger } from '../log'
import type { Emit } from '../service'
import type { AppNode } from '../p2p/node'
import type { Admission, MemberAddress, RoomFacts, RoomHost, RoomSession, SessionEnd } from '../p2p/protocols/room/index'
import type { SignalHost } from '../p2p/protocols/signal/index'
import type { ActiveRoom, GoneReason, MemberState, Route } from './active-room'
import { decideAdmission } from './admission'
import { applyFrame, selfStateNotices } from './room-frames'

export interface MeshTuning {
  /** give up joining after this long with nobody answering (a host deciding extends it) */
  joinDeadlineMs: number
  /** how long `join` waits for the other members before answering with the room */
  membersWaitMs: number
  /** how long a member whose connection dropped may take to come back before it is shown gone */
  reconnectGraceMs: number
  /** how often members look each other up in the DHT */
  discoveryIntervalMs: number
  /** a peer that refused or failed is not tried again through discovery for this long */
  retryDiscoveredAfterMs: number
  /** a member that timed out is redialled, less and less often, for this long */
  healForMs: number
}

/** Chat is for people: a burst of a couple of pastes, then a few lines a second at most. */
export const CHAT_LIMIT = { send: { points: 120, seconds: 60 }, receive: { points: 150, seconds: 60 } }

export const DEFAULT_MESH_TUNING: MeshTuning = {
  joinDeadlineMs: 20_000,
  membersWaitMs: 5_000,
  reconnectGraceMs: 4_000,
  discoveryIntervalMs: 30_000,
  retryDiscoveredAfterMs: 60_000,
  healForMs: 10 * 60_000
}

const HEAL_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000]

/**
 * The members of the room we are in, and our sessions with each: a full mesh. It answers the
 * room and signalling protocols (RoomHost, SignalHost) and keeps presence: a member whose
 * session drops is `away` while one side redials, then `gone`.
 */
export class RoomMesh implements RoomHost, SignalHost {
  node!: AppNode
  room: ActiveRoom | null = null
  /** peers found on the LAN (mDNS), newest last, bounded */
  readonly lanPeers = new Map<string, PeerId>()
  private updateQueued = false
  /** chat per member, over and above the protocol's frame rate: history is kept on disk */
  readonly chatIn = new RateLimiter({ points: CHAT_LIMIT.receive.points, duration: CHAT_LIMIT.receive.seconds, keyPrefix: 'chat-in' })
  readonly chatOut = new RateLimiter({ points: CHAT_LIMIT.send.points, duration: CHAT_LIMIT.send.seconds, keyPrefix: 'chat-out' })

  constructor(
    private readonly identity: PeerIdentity,
    private readonly log: Logger,
    readonly emit: Emit,
    readonly tuning: MeshTuning,
    private readonly invite: (room: ActiveRoom) => string
  ) {}

  get selfId(): string {
    return this.node.peerId.toString()
  }

  /** The room with this id if we are fully in it. */
  joined(roomId: string): ActiveRoom | null {
    const room = this.room
    return room && room.state === 'joined' && room.roomId === roomId && !room.closed.signal.aborted ? room : null
  }

  // ---- RoomHost: what the room protocol asks of us ----

  roomKey(roomId: string): Uint8Array | null {
    return this.joined(roomId)?.key ?? null
  }

  async presentation(): Promise<unknown> {
    const p = await this.identity.presentation()
    if (p === null) throw new Error('nobody is signed in')
    return p
  }

  async verify(presentation: unknown, peer: PeerId): Promise<PeerCheck> {
    if (peer.type !== 'Ed25519' || !peer.publicKey) return { ok: false, reason: 'this app only meets Ed25519 device keys' }
    try {
      const check = await this.identity.verifyPeer(presentation, peer.publicKey.raw, peer.toString())
      return check.ok ? { ok: true, person: { ...check.person, peerId: peer.toString() } } : check
    } catch (err) {
      this.log.warn('verifying a peer failed', err)
      return { ok: false, reason: 'the credential could not be checked' }
    }
  }

  async admit(
    roomId: string,
    peer: PeerId,
    person: PersonView,
    wait: (reason: string) => Promise<void>,
    options: AbortOptions
  ): Promise<Admission> {
    const room = this.joined(roomId)
    if (!room) return { ok: false, code: 'not-member', reason: 'That meeting is not running here: the invite may be outdated or wrong' }
    const id = peer.toString()
    const known = id === room.creator || room.admitted.has(id) || room.members.has(id)
    const admission = known ? ({ ok: true } as const) : await decideAdmission(room, peer, person, wait, options, this.emit)
    // Signals may race ahead of the end of the handshake: accept them from the moment we say yes.
    if (admission.ok) room.tried.set(`admitted:${id}`, Date.now())
    return admission
  }

  async facts(roomId: string, forPeer?: PeerId): Promise<RoomFacts> {
    const room = this.joined(roomId)
    if (!room) throw new Error('not in that room')
    const members: MemberAddress[] = []
    for (const m of room.members.values()) {
      if (!m.session?.alive) continue
      members.push({ peerId: m.peer.toString(), addrs: await this.addrsOf(m.peer) })
    }
    if (forPeer) {
      room.told.set(forPeer.toString(), new Set(members.map((m) => m.peerId)))
      if (room.told.size > 200) room.told.delete(room.told.keys().next().value as string)
    }
    return {
      title: room.title,
      rules: room.rules,
      creator: room.creator,
      members: members.slice(0, 100),
      admitted: [...room.admitted].slice(-200)
    }
  }

  sessionOpened(session: RoomSession): void {
    this.attach(session)
  }

  // ---- SignalHost ----

  isMember(roomId: string, peer: PeerId): boolean {
    const room = this.joined(roomId)
    if (!room) return false
    const id = peer.toString()
    if (room.isLiveMember(id)) return true
    const admittedAt = room.tried.get(`admitted:${id}`)
    return admittedAt !== undefined && Date.now() - admittedAt < 30_000
  }

  received(roomId: string, from: PeerId, signal: SignalPayload): void {
    this.emit('signal.received', { roomId, from: from.toString(), signal })
  }

  // ---- sessions ----

  /** A session with a member is up (either side dialled): make it the member's link. */
  attach(session: RoomSession): void {
    const room = this.room
    if (!room || room.roomId !== session.roomId || room.closed.signal.aborted) {
      void session.close('local')
      return
    }
    if (room.state === 'joining') {
      room.early.push(session)
      return
    }
    const id = session.peer.toString()
    const existing = room.members.get(id)
    const current = existing?.session
    if (current?.alive && current !== session) {
      if (current.remoteInstance === session.remoteInstance && !this.preferNew(session)) {
        void session.close('superseded')
        return
      }
      existing!.session = null
      void current.close('superseded')
    }
    const isNew = !existing || existing.presence === 'gone'
    const member: MemberState = existing ?? {
      peer: session.peer,
      person: session.person,
      session: null,
      presence: 'present',
      muted: false,
      cameraOff: false,
      handRaised: false,
      joinedAt: Date.now(),
      reconnecting: false
    }
    if (existing && existing.presence === 'gone')
      Object.assign(member, { joinedAt: Date.now(), muted: false, cameraOff: false, handRaised: false })
    Object.assign(member, { person: session.person, session, presence: 'present', goneReason: undefined })
    room.members.set(id, member)
    room.tried.delete(`admitted:${id}`)
    session.start({
      frame: (frame) => applyFrame(this, room, member, frame),
      end: (reason) => this.sessionEnded(room, member, session, reason)
    })
    for (const notice of selfStateNotices(room)) session.send(notice).catch(() => undefined)
    // Have the signalling stream ready before the first WebRTC offer (either side may make it:
    // the other side writes on the stream we open, so one opening serves both).
    if (session.initiator) this.node.services.signal.warm(session.peer).catch(() => undefined)
    if (isNew) void this.gossip(room, member)
    room.prune()
    this.update()
  }

  /** Two live sessions between the same two running nodes: keep the one the smaller peer id dialled. */
  private preferNew(next: RoomSession): boolean {
    return next.initiator === this.selfId < next.peer.toString()
  }

  private sessionEnded(room: ActiveRoom, member: MemberState, session: RoomSession, reason: SessionEnd): void {
    if (member.session !== session || this.room !== room) return
    member.session = null
    if (reason === 'left') this.gone(room, member, 'left')
    else if (reason === 'timeout') this.gone(room, member, 'timed-out')
    else if (reason === 'banned') this.gone(room, member, 'removed')
    else if (reason === 'closed') {
      member.presence = 'away'
      void this.reconnect(room, member)
    }
    this.update()
  }

  gone(room: ActiveRoom, member: MemberState, reason: GoneReason): void {
    member.presence = 'gone'
    member.goneReason = reason
    member.handRaised = false
    room.recorders.delete(member.peer.toString())
    this.node.services.signal.forget(member.peer)
    this.log.info(`${member.person.displayName} (${member.peer.toString().slice(-8)}) is gone: ${reason}`)
    if (reason === 'timed-out') void this.heal(room, member)
  }

  /**
   * A member that went silent may come back (a stalled laptop, a network blip, a busy relay):
   * keep knocking, less and less often. Both sides do; a duplicate link is resolved in attach.
   */
  private async heal(room: ActiveRoom, member: MemberState): Promise<void> {
    if (member.healing) return
    member.healing = true
    const until = Date.now() + this.tuning.healForMs
    const stillGone = () =>
      this.room === room && !room.closed.signal.aborted && member.presence === 'gone' && member.goneReason === 'timed-out'
    for (let i = 0; Date.now() < until; i++) {
      await sleep(HEAL_DELAYS_MS[Math.min(i, HEAL_DELAYS_MS.length - 1)]!, room.closed.signal)
      if (!stillGone()) break
      try {
        this.attach(await this.dial(room, member.peer, AbortSignal.any([room.closed.signal, AbortSignal.timeout(5_000)])))
        break
      } catch {
        // still unreachable
      }
    }
    member.healing = false
  }

  /** A dropped link: the smaller peer id redials; either way, no link within the grace = gone. */
  private async reconnect(room: ActiveRoom, member: MemberState): Promise<void> {
    if (member.reconnecting) return
    member.reconnecting = true
    const signal = AbortSignal.any([room.closed.signal, AbortSignal.timeout(this.tuning.reconnectGraceMs)])
    try {
      if (this.selfId < member.peer.toString()) this.attach(await this.dial(room, member.peer, signal))
      else await sleep(this.tuning.reconnectGraceMs, signal)
    } catch (err) {
      this.log.debug(`reconnecting to ${member.peer.toString().slice(-8)} failed`, err)
    }
    member.reconnecting = false
    if (this.room === room && !member.session?.alive && member.presence !== 'gone') {
      this.gone(room, member, 'timed-out')
      this.update()
    }
  }

  async dial(room: ActiveRoom, target: DialTarget, signal: AbortSignal, onWait?: (reason: string) => void): Promise<RoomSession> {
    const key = isPeerId(target) ? target.toString() : null
    if (key) room.dialing.add(key)
    try {
      return await this.node.services.room.join(target, room.roomId, room.key, { signal, onWait })
    } finally {
      if (key) room.dialing.delete(key)
    }
  }

  /** Reach members we are not linked to yet; waits at most `waitMs` for them. */
  async connectTo(room: ActiveRoom, members: MemberAddress[], waitMs: number): Promise<void> {
    const signal = AbortSignal.any([room.closed.signal, AbortSignal.timeout(waitMs)])
    const attempts = members
      .filter((m) => m.peerId !== this.selfId && !room.isLiveMember(m.peerId))
      .slice(0, 100)
      .map(async (m) => {
        try {
          const peer = peerIdFromString(m.peerId)
          const multiaddrs = m.addrs.flatMap((a) => {
            try {
              return [multiaddr(a)]
            } catch {
              return []
            }
          })
          if (multiaddrs.length > 0) await this.node.peerStore.merge(peer, { multiaddrs })
          this.attach(await this.dial(room, peer, signal))
        } catch (err) {
          this.log.debug(`could not reach member ${m.peerId.slice(-8)}`, err)
        }
      })
    await Promise.allSettled(attempts)
  }

  /**
   * Tell the other members about a newcomer, so anyone it has not reached can reach it. Those
   * its welcome did not list (they came in at the same moment) are asked to dial it at once;
   * the others wait for the newcomer's dial. Of a pair that joined together only one is asked.
   */
  private async gossip(room: ActiveRoom, member: MemberState): Promise<void> {
    const id = member.peer.toString()
    const entry = { peerId: id, addrs: await this.addrsOf(member.peer) }
    const told = room.told.get(id)
    for (const s of room.liveSessions()) {
      if (s.peer.equals(member.peer)) continue
      const other = s.peer.toString()
      const pair = [id, other].sort().join('|')
      const dial = told !== undefined && !told.has(other) && !room.askedToDial.has(pair)
      if (dial) {
        room.askedToDial.add(pair)
        if (room.askedToDial.size > 1000) room.askedToDial.delete(room.askedToDial.values().next().value as string)
      }
      s.send({ t: 'members', members: [entry], ...(dial ? { dial } : {}) }).catch(() => undefined)
    }
  }

  async addrsOf(peer: PeerId): Promise<string[]> {
    try {
      const info = await this.node.peerStore.get(peer)
      return info.addresses.map((a) => a.multiaddr.toString()).slice(0, 8)
    } catch {
      return []
    }
  }

  routeOf(member: MemberState): Route {
    if (member.presence === 'gone') return 'unreachable'
    if (!member.session?.alive) return 'connecting'
    const open = this.node.getConnections(member.peer).filter((c) => c.status === 'open')
    return open.some((c) => c.direct && c.limits == null) ? 'direct' : 'relayed'
  }

  /** Emit the room view once per burst of changes. */
  update(): void {
    if (this.updateQueued) return
    this.updateQueued = true
    queueMicrotask(() => {
      this.updateQueued = false
      const room = this.room
      if (room && room.state === 'joined')
        this.emit(
          'room.updated',
          room.view(this.invite(room), (m) => this.routeOf(m))
        )
    })
  }
}

/** Wait, or stop waiting when the signal aborts. Never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    timer.unref?.()
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
