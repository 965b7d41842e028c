import { MAX_MEETINGS, MAX_PEERS_PER_MEETING, MEETING_IDLE_MS } from './constants'

export interface RegisteredMeeting {
  /** The key derived for this relay from the meeting's room key (never the room key itself). */
  key: Uint8Array
  /** Devices that got credentials under this meeting. */
  peers: Set<string>
  /** The device that named this meeting here (or retired its previous key): it may retire this one. */
  registrant: string
  /** Co-hosts the registrant named: they may retire this key too. */
  deputies: ReadonlySet<string>
  lastUsed: number
}

/**
 * The meetings a relay serves, by tag. Bounded: at most `maxMeetings` (the least recently used
 * goes first; a member of a forgotten meeting simply registers it again on its next request)
 * and each forgotten after a day without requests. A Map keeps insertion order, so touching an
 * entry (delete + set) keeps the oldest first.
 */
export class MeetingRegistry {
  private readonly meetings = new Map<string, RegisteredMeeting>()
  /** Tags of keys that were replaced, and when: refused for as long as a meeting is remembered. */
  private readonly retired = new Map<string, number>()

  constructor(private readonly limits = { maxMeetings: MAX_MEETINGS, idleMs: MEETING_IDLE_MS, peersPerMeeting: MAX_PEERS_PER_MEETING }) {}

  get(tag: string, now = Date.now()): RegisteredMeeting | undefined {
    const meeting = this.meetings.get(tag)
    if (meeting && now - meeting.lastUsed > this.limits.idleMs) {
      this.meetings.delete(tag)
      return undefined
    }
    return meeting
  }

  /** Record that `peer` fetched credentials under this meeting; false when the meeting already has its fill of devices. */
  use(tag: string, key: Uint8Array, peer: string, now = Date.now()): boolean {
    const meeting = this.get(tag, now) ?? { key, peers: new Set<string>(), registrant: peer, deputies: new Set<string>(), lastUsed: now }
    if (!meeting.peers.has(peer) && meeting.peers.size >= this.limits.peersPerMeeting) return false
    meeting.peers.add(peer)
    meeting.lastUsed = now
    this.meetings.delete(tag)
    this.meetings.set(tag, meeting)
    for (const oldest of this.meetings.keys()) {
      if (this.meetings.size <= this.limits.maxMeetings) break
      this.meetings.delete(oldest)
    }
    return true
  }

  /** This key was replaced: forget it, and refuse it from now on. */
  retire(tag: string, now = Date.now()): void {
    this.meetings.delete(tag)
    this.retired.delete(tag)
    this.retired.set(tag, now)
    for (const oldest of this.retired.keys()) {
      if (this.retired.size <= this.limits.maxMeetings) break
      this.retired.delete(oldest)
    }
  }

  isRetired(tag: string, now = Date.now()): boolean {
    const at = this.retired.get(tag)
    if (at === undefined) return false
    if (now - at <= this.limits.idleMs) return true
    this.retired.delete(tag)
    return false
  }

  /** Whether `peer` may retire this meeting's key: the device that named it, or a deputy it named. */
  mayRetire(meeting: RegisteredMeeting, peer: string): boolean {
    return meeting.registrant === peer || meeting.deputies.has(peer)
  }

  /** The registrant names its deputies (anyone else's list is ignored). */
  deputise(tag: string, peer: string, deputies: readonly string[]): void {
    const meeting = this.meetings.get(tag)
    if (meeting?.registrant === peer) meeting.deputies = new Set(deputies.filter((d) => d !== peer))
  }

  /**
   * The right to retire passes to the key that replaced the one `peer` retired, with everyone who
   * had it there (the registrant and its deputies) as deputies.
   */
  hand(tag: string, peer: string, from: RegisteredMeeting): void {
    const meeting = this.meetings.get(tag)
    if (!meeting) return
    meeting.registrant = peer
    meeting.deputies = new Set([from.registrant, ...from.deputies].filter((d) => d !== peer))
  }

  get size(): number {
    return this.meetings.size
  }
}
