import { MAX_MEETINGS, MAX_PEERS_PER_MEETING, MEETING_IDLE_MS } from './constants'

export interface RegisteredMeeting {
  /** The key derived for this relay from the meeting's room key (never the room key itself). */
  key: Uint8Array
  /** Devices that got credentials under this meeting. */
  peers: Set<string>
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
    const meeting = this.get(tag, now) ?? { key, peers: new Set<string>(), lastUsed: now }
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

  get size(): number {
    return this.meetings.size
  }
}
