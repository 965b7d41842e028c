import { setTimeout as pause } from 'node:timers/promises'
import type { PeerId } from '@libp2p/interface'
import QuickLRU from 'quick-lru'
import type { JoinRace } from './join-race'
import type { Meeting } from './meeting'
import { JOINED_CODE_ANNOUNCE_DELAY_MS } from './rendezvous'
import type { MeetingTuning } from './tuning'

/** Discovery also fires when a member has just connected to us to join: give its handshake this long. */
const LET_THE_HANDSHAKE_FINISH_MS = 1_500

/**
 * Finding members we are not linked to: the DHT (where members announce the room's rendezvous
 * key) and whatever libp2p discovers (mDNS on the LAN, bootstrap, peers that connect to us).
 * This is what keeps a meeting together after its creator leaves.
 */
export class RoomDiscovery {
  /** peers found on the LAN (mDNS) and elsewhere, newest last */
  private readonly seen = new QuickLRU<string, PeerId>({ maxSize: 256 })
  /** peers we asked recently on behalf of the current meeting: a LAN peer is not asked every few seconds */
  private tried = new QuickLRU<string, true>({ maxSize: 1000, maxAge: 60_000 })

  constructor(
    private readonly selfId: string,
    private readonly tuning: MeetingTuning,
    /** the meeting we are in, if any */
    private readonly meeting: () => Meeting | null,
    /** the join in progress, if any: discoveries feed it */
    private readonly race: () => JoinRace | null
  ) {}

  /** Peers seen so far, newest last: a join tries them all. */
  knownPeers(): PeerId[] {
    return [...this.seen.values()]
  }

  /**
   * Announce ourselves in the DHT and keep looking for members we are not linked to. `opened`: we
   * opened the meeting (created it, or nobody was in it), so its code is ours to announce at once.
   */
  run(meeting: Meeting, how: 'opened' | 'entered'): void {
    this.tried = new QuickLRU({ maxSize: 1000, maxAge: this.tuning.retryDiscoveredAfterMs })
    const closed = meeting.closed
    void meeting.rendezvous.announceCode(closed, how === 'opened' ? 0 : JOINED_CODE_ANNOUNCE_DELAY_MS)
    void (async () => {
      let announced = false
      while (!closed.aborted) {
        announced ||= await meeting.rendezvous.announce(AbortSignal.any([closed, AbortSignal.timeout(10_000)]))
        await meeting.rendezvous.find(AbortSignal.any([closed, AbortSignal.timeout(10_000)]), (peer) => this.discovered(peer))
        // Until the announcement is in, try again soon: at start the DHT may not know anyone yet.
        const wait = announced ? this.tuning.discoveryIntervalMs : Math.min(2_000, this.tuning.discoveryIntervalMs)
        await pause(wait, undefined, { signal: closed, ref: false }).catch(() => undefined)
      }
    })()
    for (const peer of this.knownPeers()) this.discovered(peer)
  }

  /** A peer found by mDNS, the DHT or bootstrap: if it might be in our meeting, ask. */
  discovered(peer: PeerId): void {
    const id = peer.toString()
    if (id === this.selfId) return
    this.seen.delete(id)
    this.seen.set(id, peer)
    const meeting = this.meeting()
    if (!meeting || meeting.closed.aborted) return
    if (!meeting.joined) {
      this.race()?.attempt(id, (signal) => meeting.links.dial(peer, signal))
      return
    }
    if (meeting.busyWith(id) || this.tried.has(id)) return
    this.tried.set(id, true)
    setTimeout(() => {
      if (this.meeting() === meeting && !meeting.closed.aborted) meeting.reachDiscovered(peer)
    }, LET_THE_HANDSHAKE_FINISH_MS).unref?.()
  }
}
