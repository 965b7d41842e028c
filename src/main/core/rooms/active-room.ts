import type { PeerId } from '@libp2p/interface'
import type { PersonView } from '../../../shared/contract/people'
import type { Member, RoomRules, RoomView } from '../../../shared/contract/rooms'
import type { Admission, RoomSession } from '../p2p/protocols/room/index'
import type { ChatLog } from './chat-log'
import type { Rendezvous } from './rendezvous'

export type Route = Member['route']
export type GoneReason = 'left' | 'timed-out' | 'removed'

/** A member as the room remembers them: who, how they are doing, and the live session if any. */
export interface MemberState {
  peer: PeerId
  person: PersonView
  session: RoomSession | null
  presence: 'present' | 'away' | 'gone'
  goneReason?: GoneReason
  muted: boolean
  cameraOff: boolean
  handRaised: boolean
  joinedAt: number
  /** set while we try to get a dropped session back */
  reconnecting: boolean
  /** set while we keep knocking on a member that went silent */
  healing?: boolean
}

export interface PendingAdmission {
  peer: PeerId
  person: PersonView
  decide(admission: Admission): void
}

/**
 * The meeting we are in. `joining` until the first member welcomes us (or we created it);
 * only a joined room answers other people's handshakes.
 */
export class ActiveRoom {
  state: 'joining' | 'joined' = 'joining'
  title: string
  rules: RoomRules = { mode: 'open' }
  creator = ''
  readonly admitted = new Set<string>()
  readonly members = new Map<string, MemberState>()
  readonly pending = new Map<string, PendingAdmission>()
  /** who records the meeting now, by peer id, in the order they started */
  readonly recorders = new Map<string, PersonView>()
  self: { person: PersonView; muted: boolean; cameraOff: boolean; handRaised: boolean }
  joinedAt = Date.now()
  /** aborted when we leave: stops discovery loops and pending dials */
  readonly closed = new AbortController()
  chat: ChatLog | null = null
  rendezvous: Rendezvous | null = null
  /** peers we are dialling right now */
  readonly dialing = new Set<string>()
  /** sessions that came up while we were still joining: attached once we are in */
  readonly early: RoomSession[] = []
  /** peers we tried to reach through discovery, and when: so a LAN peer is not asked every few seconds */
  readonly tried = new Map<string, number>()
  /** the members each newcomer's welcome listed (it dials those itself), by newcomer */
  readonly told = new Map<string, Set<string>>()
  /** pairs of members one of whom we asked to dial the other now ("a|b", sorted) */
  readonly askedToDial = new Set<string>()

  constructor(
    readonly roomId: string,
    readonly key: Uint8Array,
    title: string,
    selfPerson: PersonView
  ) {
    this.title = title
    this.self = { person: selfPerson, muted: false, cameraOff: false, handRaised: false }
  }

  get isCreator(): boolean {
    return this.creator === this.self.person.peerId
  }

  liveSessions(): RoomSession[] {
    const sessions: RoomSession[] = []
    for (const m of this.members.values()) if (m.session?.alive) sessions.push(m.session)
    return sessions
  }

  isLiveMember(peerId: string): boolean {
    return this.members.get(peerId)?.session?.alive === true
  }

  /**
   * Linked to this peer, or about to be (we are dialling it, or just let it in): dialling it
   * again would only make a second session that one side then drops.
   */
  busyWith(peerId: string): boolean {
    if (this.isLiveMember(peerId) || this.dialing.has(peerId)) return true
    const admittedAt = this.tried.get(`admitted:${peerId}`)
    return admittedAt !== undefined && Date.now() - admittedAt < 10_000
  }

  /** Keep the member list bounded: forget the longest-gone first. */
  prune(max = 100): void {
    if (this.members.size <= max) return
    const gone = [...this.members.entries()].filter(([, m]) => m.presence === 'gone').sort((a, b) => a[1].joinedAt - b[1].joinedAt)
    for (const [id] of gone.slice(0, this.members.size - max)) this.members.delete(id)
  }

  view(invite: string, routeOf: (m: MemberState) => Route): RoomView {
    const members: Member[] = [...this.members.values()]
      .sort((a, b) => a.joinedAt - b.joinedAt)
      .slice(0, 100)
      .map((m) => ({
        ...m.person,
        route: routeOf(m),
        presence: m.presence,
        ...(m.goneReason && m.presence === 'gone' ? { goneReason: m.goneReason } : {}),
        muted: m.muted,
        cameraOff: m.cameraOff,
        handRaised: m.handRaised,
        isCreator: m.person.peerId === this.creator
      }))
    return {
      roomId: this.roomId,
      title: this.title,
      invite,
      rules: this.rules,
      self: {
        ...this.self.person,
        route: 'direct',
        presence: 'present',
        muted: this.self.muted,
        cameraOff: this.self.cameraOff,
        handRaised: this.self.handRaised,
        isCreator: this.isCreator
      },
      members,
      recorders: [...this.recorders.values()],
      joinedAt: this.joinedAt
    }
  }
}
