import type { PeerId } from '@libp2p/interface'
import QuickLRU from 'quick-lru'
import type { MemberAddress, RoomSession } from '../p2p/protocols/room/index'
import type { MemberLinks } from './member-links'
import { NEWCOMER_DIALS_WITHIN_MS, type MeetingTuning } from './tuning'

export interface MeshFormingInit {
  selfId: string
  links: MemberLinks
  tuning: MeetingTuning
  closed: AbortSignal
  addrsOf(peer: PeerId): Promise<string[]>
  /** linked to this peer, or about to be */
  busyWith(peerId: string): boolean
}

/**
 * Forming the full mesh: everyone reaches everyone. A newcomer dials the members its welcome
 * listed; the members it reached tell the others about it, and ask those the welcome did not
 * list (they came in at the same moment) to dial it at once. Of a pair that joined together only
 * one is asked, so the two do not dial each other at the same time.
 */
export class MeshForming {
  /** the members each newcomer's welcome listed (it dials those itself), by newcomer */
  private readonly told = new QuickLRU<string, ReadonlySet<string>>({ maxSize: 200 })
  /** pairs of members one of whom we asked to dial the other now ("a|b", sorted) */
  private readonly askedToDial = new QuickLRU<string, true>({ maxSize: 1000 })

  constructor(private readonly init: MeshFormingInit) {}

  /** We welcomed a newcomer and listed these members in its welcome. */
  welcomed(newcomer: string, listed: Iterable<string>): void {
    this.told.set(newcomer, new Set(listed))
  }

  /** A newcomer's session with us is up: tell everyone else we are linked with. */
  async announce(newcomer: PeerId, others: RoomSession[]): Promise<void> {
    const id = newcomer.toString()
    const entry = { peerId: id, addrs: await this.init.addrsOf(newcomer) }
    const told = this.told.get(id)
    for (const s of others) {
      if (s.peer.equals(newcomer)) continue
      const other = s.peer.toString()
      const pair = [id, other].sort().join('|')
      const dial = told !== undefined && !told.has(other) && !this.askedToDial.has(pair)
      if (dial) this.askedToDial.set(pair, true)
      s.send({ t: 'members', members: [entry], ...(dial ? { dial } : {}) }).catch(() => undefined)
    }
  }

  /**
   * A member told us about others it is linked to. A newcomer dials everyone it was told about:
   * give it a moment before we dial it too, unless we were asked to dial now.
   */
  heard(members: MemberAddress[], dialNow: boolean): void {
    const { selfId, busyWith, closed, links, tuning } = this.init
    const unknown = members.filter((m) => m.peerId !== selfId && !busyWith(m.peerId))
    if (unknown.length === 0) return
    setTimeout(
      () => {
        if (!closed.aborted)
          void links.connectTo(
            unknown.filter((m) => !busyWith(m.peerId)),
            tuning.reconnectGraceMs
          )
      },
      dialNow ? 0 : NEWCOMER_DIALS_WITHIN_MS
    ).unref?.()
  }
}
