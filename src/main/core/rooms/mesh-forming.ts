import type { PeerId } from '@libp2p/interface'
import { RateLimiter } from '@libp2p/utils'
import QuickLRU from 'quick-lru'
import type { MemberAddress, RoomSession } from '../p2p/protocols/room/index'
import { joinTrace } from '../join-trace'
import type { MemberLinks } from './member-links'
import { GOSSIP_DIALS, NEWCOMER_DIALS_WITHIN_MS, type MeetingTuning } from './tuning'

/** A tip is tried at once, and again after these pauses while the peer answers it is not in the meeting yet (a busy machine can take seconds to finish a join). */
const TIP_RETRY_PAUSES_MS = [300, 1_000, 2_000, 4_000]
/**
 * One try at a tip: a connection and the room's handshake. On a loaded machine that takes
 * seconds, and a pair of members whose only try timed out never forms (the call shows one of
 * them missing for good).
 */
const TIP_DIAL_TIMEOUT_MS = 10_000

export interface MeshFormingInit {
  selfId: string
  links: MemberLinks
  tuning: MeetingTuning
  addrsOf(peer: PeerId): Promise<string[]>
  /** linked to this peer, or about to be */
  busyWith(peerId: string): boolean
  /** a member broke the limits on what its word may make us dial */
  strike(peer: PeerId): void
}

/** The dials members' word made us decide on (started) and not yet finish (pending), for tests and diagnostics. */
export interface GossipDials {
  started: number
  pending: number
}

/**
 * How long a newcomer we welcomed is listed to the next newcomers before its session is up: its
 * answer to the welcome is a round trip away, longer on a busy machine.
 */
const ARRIVING_LISTED_MS = 10_000

/**
 * Forming the full mesh: everyone reaches everyone. A newcomer dials the members its welcome
 * listed: the members, and the newcomers welcomed just before it whose session is not up yet
 * (people who click Join at the same moment then reach each other without waiting to be told).
 * The members it reached tell the others about it, and ask those the welcome did not list to
 * dial it at once. Of a pair that joined together only one is listed or asked, so the two do not
 * dial each other at the same time.
 *
 * What a member tells us is a tip, not an order: a member (a guest too) could list made-up
 * peers at someone else's address to have us all connect there. So each member's tips are
 * rationed (GOSSIP_DIALS per minute, a few addresses each), and a member whose tips keep leading
 * nowhere is not followed any more.
 */
export class MeshForming {
  /** the members each newcomer's welcome listed (it dials those itself), by newcomer */
  private readonly told = new QuickLRU<string, ReadonlySet<string>>({ maxSize: 200 })
  /** newcomers we welcomed whose session with us is not up yet */
  private readonly arrivingNow = new QuickLRU<string, PeerId>({ maxSize: 50, maxAge: ARRIVING_LISTED_MS })
  /** pairs of members one of whom we asked to dial the other now ("a|b", sorted) */
  private readonly askedToDial = new QuickLRU<string, true>({ maxSize: 1000 })
  private readonly tipBudget = new RateLimiter({ points: GOSSIP_DIALS.perMinute, duration: 60 })
  /** tips of a member that led nowhere, by member */
  private readonly failedTips = new QuickLRU<string, number>({ maxSize: 500 })
  readonly dials: GossipDials = { started: 0, pending: 0 }

  constructor(private readonly init: MeshFormingInit) {}

  /**
   * Who a newcomer's welcome lists: `members`, and the newcomers welcomed before it that are still
   * arriving. Call it once per welcome, at the moment its list is made: two newcomers then never
   * list each other.
   */
  welcome(newcomer: PeerId, members: readonly PeerId[]): PeerId[] {
    const id = newcomer.toString()
    const arriving = [...this.arrivingNow.values()].filter((p) => !p.equals(newcomer) && !members.some((m) => m.equals(p)))
    const listed = [...members, ...arriving]
    this.told.set(id, new Set(listed.map(String)))
    this.arrivingNow.set(id, newcomer)
    return listed
  }

  /** A newcomer's session with us is up: tell everyone else we are linked with. */
  async announce(newcomer: PeerId, others: RoomSession[]): Promise<void> {
    const id = newcomer.toString()
    this.arrivingNow.delete(id)
    const entry = { peerId: id, addrs: await this.init.addrsOf(newcomer) }
    const told = this.told.get(id)
    for (const s of others) {
      if (s.peer.equals(newcomer)) continue
      const other = s.peer.toString()
      const pair = [id, other].sort().join('|')
      // Ask `other` to dial now only when neither welcome listed the other (one of them dials then).
      const dial = told !== undefined && !told.has(other) && !this.told.get(other)?.has(id) && !this.askedToDial.has(pair)
      if (dial) this.askedToDial.set(pair, true)
      s.send({ t: 'members', members: [entry], ...(dial ? { dial } : {}) }).catch(() => undefined)
    }
  }

  /**
   * A member told us about others it is linked to. A newcomer dials everyone it was told about:
   * give it a moment before we dial it too, unless we were asked to dial now.
   */
  heard(from: PeerId, members: MemberAddress[], dialNow: boolean): void {
    const { selfId, busyWith, tuning } = this.init
    const sender = from.toString()
    if ((this.failedTips.get(sender) ?? 0) >= GOSSIP_DIALS.failuresBeforeDistrust) return
    const tips: MemberAddress[] = []
    for (const m of members) {
      if (m.peerId === selfId || m.peerId === sender || busyWith(m.peerId)) continue
      try {
        this.tipBudget.consume(sender)
      } catch {
        this.init.strike(from)
        break
      }
      tips.push(m)
    }
    if (tips.length === 0) return
    for (const tip of tips) joinTrace?.step(`told of ${tip.peerId}${dialNow ? ', dial now' : ''}`)
    this.dials.started += tips.length
    this.dials.pending += tips.length
    setTimeout(
      () => {
        for (const tip of tips) void this.follow(sender, tip, Math.max(tuning.reconnectGraceMs, TIP_DIAL_TIMEOUT_MS))
      },
      dialNow ? 0 : NEWCOMER_DIALS_WITHIN_MS
    ).unref?.()
  }

  private async follow(sender: string, tip: MemberAddress, timeoutMs: number): Promise<void> {
    try {
      const reached = await this.init.links.reachOnceIn(tip, TIP_RETRY_PAUSES_MS, () => timeoutMs, this.init.busyWith)
      if (!reached) this.failedTips.set(sender, (this.failedTips.get(sender) ?? 0) + 1)
    } finally {
      this.dials.pending--
    }
  }
}
