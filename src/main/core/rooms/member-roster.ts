import type { PersonView } from '../../../shared/contract/people'
import type { RoomSession, SessionEnd } from '../p2p/protocols/room/index'
import { newMember, type GoneReason, type MemberState } from './member'
import { MAX_REMEMBERED_MEMBERS } from './tuning'

/**
 * The meeting's members and their presence: who is linked by which session, who is away while a
 * link is redialled, who is gone and why. The meeting owns one roster and is the only caller of
 * what changes it; the roster only keeps the records straight.
 */
export class MemberRoster {
  private readonly members = new Map<string, MemberState>()

  constructor(private readonly selfId: string) {}

  get(peerId: string): MemberState | undefined {
    return this.members.get(peerId)
  }

  all(): IterableIterator<MemberState> {
    return this.members.values()
  }

  /** A member we have (or had) a session with, gone or not. */
  knows(peerId: string): boolean {
    return this.members.has(peerId)
  }

  isLive(peerId: string): boolean {
    return this.members.get(peerId)?.session?.alive === true
  }

  isTimedOut(peerId: string): boolean {
    const m = this.members.get(peerId)
    return m?.presence === 'gone' && m.goneReason === 'timed-out'
  }

  /** Someone still in the meeting (present or away). */
  personOf(peerId: string): PersonView | null {
    const m = this.members.get(peerId)
    return m && m.presence !== 'gone' ? m.person : null
  }

  liveSessions(): RoomSession[] {
    const sessions: RoomSession[] = []
    for (const m of this.members.values()) if (m.session?.alive) sessions.push(m.session)
    return sessions
  }

  /**
   * Make `session` its member's link. Of two live sessions between the same two running nodes
   * the one the smaller peer id dialled is kept; a restarted peer (new instance) always replaces
   * its old session. Null when `session` lost (it is closed); `isNew` for someone who was not here.
   */
  place(session: RoomSession): { member: MemberState; isNew: boolean } | null {
    const id = session.peer.toString()
    const existing = this.members.get(id)
    const current = existing?.session
    if (current?.alive && current !== session) {
      const preferNew = session.initiator === this.selfId < id
      if (current.remoteInstance === session.remoteInstance && !preferNew) {
        void session.close('superseded')
        return null
      }
      existing!.session = null
      void current.close('superseded')
    }
    const isNew = !existing || existing.presence === 'gone'
    const member = existing ?? newMember(session)
    if (existing?.presence === 'gone') Object.assign(member, { joinedAt: Date.now(), muted: false, cameraOff: false, handRaised: false })
    Object.assign(member, { person: session.person, session, presence: 'present', goneReason: undefined })
    this.members.set(id, member)
    this.prune()
    return { member, isNew }
  }

  /**
   * The member's session ended: gone for a reason (it left, went silent, was banned), away (its
   * link dropped: redial it), or neither (we closed it). Null for a session that was not its link.
   */
  ended(member: MemberState, session: RoomSession, reason: SessionEnd): { gone: GoneReason | null; away: boolean } | null {
    if (member.session !== session) return null
    member.session = null
    const gone: GoneReason | null = reason === 'left' ? 'left' : reason === 'timeout' ? 'timed-out' : reason === 'banned' ? 'removed' : null
    if (gone) this.markGone(member, gone)
    const away = !gone && reason === 'closed'
    if (away) member.presence = 'away'
    return { gone, away }
  }

  /** A member away whose link did not come back: gone (timed out). False if it came back meanwhile. */
  lost(peerId: string): MemberState | null {
    const member = this.members.get(peerId)
    if (!member || member.session?.alive || member.presence === 'gone') return null
    this.markGone(member, 'timed-out')
    return member
  }

  /** Removed by the host: its session is taken away (the caller closes it). */
  remove(peerId: string): { member: MemberState; session: RoomSession | null } | null {
    const member = this.members.get(peerId)
    if (!member) return null
    const session = member.session
    member.session = null
    if (member.presence !== 'gone') this.markGone(member, 'removed')
    return { member, session }
  }

  private markGone(member: MemberState, reason: GoneReason): void {
    member.presence = 'gone'
    member.goneReason = reason
    member.handRaised = false
  }

  /** Keep the list bounded: forget the longest-gone first. */
  private prune(): void {
    if (this.members.size <= MAX_REMEMBERED_MEMBERS) return
    const gone = [...this.members.entries()].filter(([, m]) => m.presence === 'gone').sort((a, b) => a[1].joinedAt - b[1].joinedAt)
    for (const [id] of gone.slice(0, this.members.size - MAX_REMEMBERED_MEMBERS)) this.members.delete(id)
  }
}
