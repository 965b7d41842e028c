import { setTimeout as pause } from 'node:timers/promises'
import type { DialTarget, PeerId } from '@libp2p/interface'
import { isPeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Logger } from '../log'
import { brokeWhileOpening, RefusedError } from '../p2p/errors'
import type { MemberAddress, RoomSession } from '../p2p/protocols/room/index'
import { lastPeerId, parseAddr } from '../p2p/addrs'
import type { InviteRelay } from '../../../shared/invite'
import { joinTrace } from '../join-trace'
import { withRelayRoutes } from './invite-addrs'
import { HEAL_DELAYS_MS, MAX_DIAL_ADDRS_PER_PEER, type MeetingTuning } from './tuning'

/** Pauses before a dial whose connection broke while opening is tried again. */
const BROKEN_RETRY_PAUSES_MS = [250, 1_000]

/**
 * Pauses before a member our welcome listed is dialled again when it answered that it is not in
 * the meeting yet: let in a moment before us, it is still finishing its own join. Without them
 * the pair waits for that member to dial us after its grace for newcomers (a second and more).
 */
const NOT_YET_PAUSES_MS = [100, 250, 500, 1_000]

/** Why a dial to a member did not give a session, as far as a retry cares. */
export interface DialFailure {
  /** it answered that it is not in the meeting (yet) */
  notInIt?: boolean
}

/** What the links need from the libp2p node. */
export interface MeetingNetwork {
  readonly selfId: string
  /** Dial `target` and run the room handshake through it. */
  join(
    target: DialTarget,
    roomId: string,
    roomKey: Uint8Array,
    options: { signal: AbortSignal; onWait?(reason: string): void }
  ): Promise<RoomSession>
  /** Remember addresses for a peer, so a dial by its id can use them. */
  learnAddrs(peer: PeerId, addrs: string[]): Promise<void>
}

/** What the links need from the meeting they serve (the meeting owns membership and presence). */
export interface LinkOwner {
  /** the meeting's id on the wire and its key now: what a handshake proves */
  readonly wireId: string
  readonly key: Uint8Array
  readonly closed: AbortSignal
  /** A session with a member came up: make it the member's link. */
  attach(session: RoomSession): void
  isLiveMember(peerId: string): boolean
  /** Gone because it went silent (not because it left): worth knocking on. */
  isTimedOut(peerId: string): boolean
  /** A dropped link did not come back within the grace. */
  linkLost(peerId: string): void
}

/**
 * The network side of a meeting: dialling members, getting a dropped link back, and knocking on
 * members that went silent. It keeps its own bookkeeping (who is being dialled, healed,
 * reconnected); every session it makes goes to the meeting through `attach`.
 */
export class MemberLinks {
  private readonly dialing = new Set<string>()
  private readonly healing = new Set<string>()
  private readonly reconnecting = new Set<string>()
  /** the meeting's relays: every member is dialled through them too */
  private relays: readonly InviteRelay[] = []

  constructor(
    private readonly owner: LinkOwner,
    private readonly network: MeetingNetwork,
    private readonly tuning: MeetingTuning,
    private readonly log: Logger
  ) {}

  /**
   * The meeting's relays (the invite's and ours). Each member holds a reservation on them from
   * the moment it starts to join, so a member no one can reach directly (behind a strict NAT)
   * is still reached through them: its circuit address is known here without waiting for
   * anyone to pass it on, which can come late or not at all.
   */
  useRelays(relays: readonly InviteRelay[]): void {
    this.relays = relays
  }

  isDialing(peerId: string): boolean {
    return this.dialing.has(peerId)
  }

  /**
   * Dial a member and run the room handshake. Every dial of the meeting (a join, a tip, a
   * reconnect, a knock) comes here, so a connection that broke while opening is tried again here.
   */
  async dial(target: DialTarget, signal: AbortSignal, onWait?: (reason: string) => void): Promise<RoomSession> {
    const key = isPeerId(target) ? target.toString() : null
    if (key) joinTrace?.step(`dial ${key}`)
    if (key) this.dialing.add(key)
    try {
      if (isPeerId(target)) await this.learnRelayRoutes(target)
      return await retryBroken(() => this.network.join(target, this.owner.wireId, this.owner.key, { signal, onWait }), signal)
    } finally {
      if (key) this.dialing.delete(key)
    }
  }

  /**
   * Dial a peer and hand the session to the meeting; a failure is only logged. `failure` learns
   * whether the peer answered that it is not in the meeting (yet).
   */
  async reach(peer: PeerId, timeoutMs: number, failure?: DialFailure): Promise<boolean> {
    try {
      this.owner.attach(await this.dial(peer, this.within(timeoutMs)))
      return true
    } catch (err) {
      if (failure) failure.notInIt = err instanceof RefusedError && err.code === 'not-member'
      this.log.debug(`could not reach ${peer.toString().slice(-8)}`, err)
      return false
    }
  }

  /** Reach the members our welcome listed that we are not linked to yet; waits at most `waitMs` for them. */
  async connectTo(members: MemberAddress[], waitMs: number): Promise<void> {
    const attempts = members
      .filter((m) => m.peerId !== this.network.selfId && !this.owner.isLiveMember(m.peerId))
      .slice(0, 100)
      .map((m) => this.reachListed(m, Date.now() + waitMs))
    await Promise.allSettled(attempts)
  }

  /** One listed member: tried again while it answers that it is not in the meeting yet. */
  private reachListed(m: MemberAddress, until: number): Promise<boolean> {
    return this.reachOnceIn(
      m,
      NOT_YET_PAUSES_MS,
      () => until - Date.now(),
      (id) => this.owner.isLiveMember(id)
    )
  }

  /**
   * Dial a member at addresses someone gave for it, and again after each of `pausesMs` while it
   * answers that it is not in the meeting yet: it came in at about the same moment as we did and
   * is still finishing its own join. Anything else (a made-up address) is tried once, as each
   * dial already tries a connection that broke while opening again. True once it is reached, or
   * `settled` (it reached us meanwhile) or we left; false when it was not.
   */
  async reachOnceIn(
    m: MemberAddress,
    pausesMs: readonly number[],
    timeoutMs: () => number,
    settled: (peerId: string) => boolean
  ): Promise<boolean> {
    for (const wait of [0, ...pausesMs]) {
      if (wait > 0) await pause(wait, undefined, { signal: this.owner.closed, ref: false }).catch(() => undefined)
      if (this.owner.closed.aborted || settled(m.peerId)) return true
      const ms = timeoutMs()
      if (ms <= 0) return false
      const failure: DialFailure = {}
      if (await this.reachAt(m.peerId, m.addrs, ms, failure)) return true
      if (!failure.notInIt) return false
    }
    return false
  }

  /** Dial a member at addresses someone gave for it (see dialableAddrs), for a join. */
  async dialAt(peerId: string, addrs: string[], signal: AbortSignal, onWait?: (reason: string) => void): Promise<RoomSession> {
    const peer = peerIdFromString(peerId)
    const usable = dialableAddrs(peerId, addrs)
    if (usable.length > 0) await this.network.learnAddrs(peer, usable).catch(() => undefined)
    return this.dial(peer, signal, onWait)
  }

  /**
   * Dial a member at addresses someone told us (at most MAX_DIAL_ADDRS_PER_PEER of them, and only
   * ones that name that member, if they name anyone): true once its session is attached.
   */
  async reachAt(peerId: string, addrs: string[], timeoutMs: number, failure?: DialFailure): Promise<boolean> {
    let peer: PeerId
    try {
      peer = peerIdFromString(peerId)
    } catch {
      return false
    }
    const usable = dialableAddrs(peerId, addrs)
    if (usable.length > 0) await this.network.learnAddrs(peer, usable).catch(() => undefined)
    return this.reach(peer, timeoutMs, failure)
  }

  /**
   * A dropped link: the smaller peer id redials, the other waits for it; either way, a member
   * not back within the grace is lost (the meeting shows it gone).
   */
  async reconnect(peer: PeerId): Promise<void> {
    const id = peer.toString()
    if (this.reconnecting.has(id)) return
    this.reconnecting.add(id)
    const signal = this.within(this.tuning.reconnectGraceMs)
    try {
      if (this.network.selfId < id) this.owner.attach(await this.dial(peer, signal))
      else await pause(this.tuning.reconnectGraceMs, undefined, { signal, ref: false }).catch(() => undefined)
    } catch (err) {
      this.log.debug(`reconnecting to ${id.slice(-8)} failed`, err)
    } finally {
      this.reconnecting.delete(id)
    }
    if (!this.owner.closed.aborted && !this.owner.isLiveMember(id)) this.owner.linkLost(id)
  }

  /**
   * A member that went silent may come back (a stalled laptop, a network blip, a busy relay):
   * keep knocking, less and less often. Both sides do; the meeting keeps one session of a pair.
   */
  async heal(peer: PeerId): Promise<void> {
    const id = peer.toString()
    if (this.healing.has(id)) return
    this.healing.add(id)
    const until = Date.now() + this.tuning.healForMs
    try {
      for (let i = 0; Date.now() < until; i++) {
        const delay = HEAL_DELAYS_MS[Math.min(i, HEAL_DELAYS_MS.length - 1)]!
        await pause(delay, undefined, { signal: this.owner.closed, ref: false }).catch(() => undefined)
        if (this.owner.closed.aborted || !this.owner.isTimedOut(id)) break
        if (await this.reach(peer, 5_000)) break
      }
    } finally {
      this.healing.delete(id)
    }
  }

  private async learnRelayRoutes(peer: PeerId): Promise<void> {
    if (this.relays.length === 0) return
    const routes = withRelayRoutes(new Map([[peer.toString(), []]]), this.relays).get(peer.toString()) ?? []
    if (routes.length > 0) await this.network.learnAddrs(peer, routes.map(String)).catch(() => undefined)
  }

  /** The meeting's own lifetime, capped at `ms`. */
  within(ms: number): AbortSignal {
    return AbortSignal.any([this.owner.closed, AbortSignal.timeout(ms)])
  }
}

/**
 * Of the addresses someone gave for `peerId`: the parseable ones that end in that peer (or in no
 * peer), without repeats, at most MAX_DIAL_ADDRS_PER_PEER. A list that points a member's name at
 * somebody else's address is cut short here.
 */
export function dialableAddrs(peerId: string, addrs: string[]): string[] {
  const out = new Set<string>()
  for (const text of addrs) {
    const ma = parseAddr(text)
    if (!ma) continue
    const owner = lastPeerId(ma)
    if (owner === null || owner === peerId) out.add(text)
    if (out.size >= MAX_DIAL_ADDRS_PER_PEER) break
  }
  return [...out]
}

/** Run `attempt`; when it fails because its connection broke while opening, run it again (twice at most). */
export async function retryBroken<T>(attempt: () => Promise<T>, signal: AbortSignal, pausesMs = BROKEN_RETRY_PAUSES_MS): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt()
    } catch (err) {
      const wait = pausesMs[i]
      if (wait === undefined || signal.aborted || !brokeWhileOpening(err)) throw err
      await pause(wait, undefined, { signal })
    }
  }
}
