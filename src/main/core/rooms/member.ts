import type { PeerId } from '@libp2p/interface'
import type { PersonView } from '../../../shared/contract/people'
import type { Member, RoomRules, RoomView } from '../../../shared/contract/rooms'
import { inviteCodeOf } from '../../../shared/invite-code'
import type { RoomSession } from '../p2p/protocols/room/index'

export type Route = Member['route']
export type GoneReason = 'left' | 'timed-out' | 'removed'

/** A member as the meeting remembers them: who, how they are doing, and the live session if any. */
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
}

/** Our own side of the meeting: what we told the others about ourselves. */
export interface SelfState {
  person: PersonView
  muted: boolean
  cameraOff: boolean
  handRaised: boolean
}

export function newMember(session: RoomSession): MemberState {
  return {
    peer: session.peer,
    person: session.person,
    session: null,
    presence: 'present',
    muted: false,
    cameraOff: false,
    handRaised: false,
    joinedAt: Date.now()
  }
}

/** What the meeting looks like to the UI (contract `RoomView`). */
export interface ViewParts {
  roomId: string
  title: string
  invite: string
  /** the room key now: the invite's short code is made from it */
  key: Uint8Array
  rules: RoomRules
  creator: string
  coHosts: ReadonlySet<string>
  /** members who were in the meeting when we arrived */
  hereBeforeUs: ReadonlySet<string>
  locked: boolean
  joinedAt: number
  self: SelfState
  members: Iterable<MemberState>
  recorders: Iterable<PersonView>
  consentRequests: Iterable<RoomView['consentRequests'][number]>
  routeOf(member: MemberState): Route
}

export function roomView(parts: ViewParts): RoomView {
  const members: Member[] = [...parts.members]
    .sort((a, b) => a.joinedAt - b.joinedAt)
    .slice(0, 100)
    .map((m) => ({
      ...m.person,
      route: parts.routeOf(m),
      presence: m.presence,
      ...(m.goneReason && m.presence === 'gone' ? { goneReason: m.goneReason } : {}),
      muted: m.muted,
      cameraOff: m.cameraOff,
      handRaised: m.handRaised,
      isCreator: m.person.peerId === parts.creator,
      isCoHost: parts.coHosts.has(m.person.peerId),
      ...(parts.hereBeforeUs.has(m.person.peerId) ? { wasHere: true } : {}),
      ...(m.session?.alive ? { linkedBy: m.session.initiator ? ('us' as const) : ('them' as const) } : {})
    }))
  const self = parts.self
  const known = new Set(members.map((m) => m.peerId))
  const expected = [...parts.hereBeforeUs].filter((id) => !known.has(id) && id !== self.person.peerId).slice(0, 20)
  return {
    roomId: parts.roomId,
    title: parts.title,
    invite: parts.invite,
    inviteCode: inviteCodeOf(parts.key),
    rules: parts.rules,
    self: {
      ...self.person,
      route: 'direct',
      presence: 'present',
      muted: self.muted,
      cameraOff: self.cameraOff,
      handRaised: self.handRaised,
      isCreator: self.person.peerId === parts.creator,
      isCoHost: parts.coHosts.has(self.person.peerId)
    },
    members,
    recorders: [...parts.recorders],
    consentRequests: [...parts.consentRequests],
    locked: parts.locked,
    joinedAt: parts.joinedAt,
    expected
  }
}
