import type { Notice } from '../../../shared/contract/rooms'
import type { SessionFrame } from '../p2p/protocols/room/index'
import type { ActiveRoom, MemberState } from './active-room'
import type { RoomMesh } from './room-mesh'

type RoomFrame = Exclude<SessionFrame, { t: 'hb' } | { t: 'leave' }>

/** How long a newcomer has to dial us itself before we dial it (its dial usually comes first). */
const NEWCOMER_DIALS_WITHIN_MS = 1500

/** What a member told the room: chat, a notice, other members, an admission. */
export function applyFrame(mesh: RoomMesh, room: ActiveRoom, member: MemberState, frame: RoomFrame): void {
  switch (frame.t) {
    case 'chat': {
      try {
        mesh.chatIn.consume(member.peer.toString())
      } catch {
        mesh.node.services.room.guard.strike(member.peer.toString())
        return
      }
      const message = { id: frame.id, roomId: room.roomId, from: member.person, text: frame.text, sentAt: frame.sentAt, seq: frame.seq }
      if (room.chat?.add(message)) mesh.emit('chat.message', message)
      return
    }
    case 'notice': {
      if (applyNotice(room, member, frame.notice)) mesh.update()
      mesh.emit('notice.received', { roomId: room.roomId, from: member.person, notice: frame.notice, at: frame.at })
      return
    }
    case 'members': {
      // The newcomer dials everyone it was told about; give it a moment before we dial it too,
      // unless we were asked to dial now (it was not told about us: we joined at the same time).
      const unknown = frame.members.filter((m) => m.peerId !== mesh.selfId && !room.busyWith(m.peerId))
      if (unknown.length === 0) return
      setTimeout(
        () => {
          if (mesh.room === room)
            void mesh.connectTo(
              room,
              unknown.filter((m) => !room.busyWith(m.peerId)),
              mesh.tuning.reconnectGraceMs
            )
        },
        frame.dial ? 0 : NEWCOMER_DIALS_WITHIN_MS
      ).unref?.()
      return
    }
    case 'admitted': {
      // Only the host's word counts.
      if (member.peer.toString() === room.creator) room.admitted.add(frame.peerId)
      return
    }
  }
}

/** Apply a notice to the member who sent it; true when the room view changed. */
export function applyNotice(room: ActiveRoom, member: MemberState | null, notice: Notice): boolean {
  const who = member ?? room.self
  switch (notice.kind) {
    case 'hand':
      who.handRaised = notice.raised
      return true
    case 'media':
      who.muted = notice.muted
      who.cameraOff = notice.cameraOff
      return true
    case 'recording-started': {
      // Several may record at once: one stopping must not hide that another still records.
      // A repeat (told again to each session on attach) keeps its place: a Map's set does.
      const person = member ? member.person : room.self.person
      room.recorders.set(person.peerId, person)
      return true
    }
    case 'recording-stopped':
      return room.recorders.delete(member ? member.person.peerId : room.self.person.peerId)
    default:
      return false
  }
}

/** What a newcomer should learn about us straight away: mute state, raised hand, a running recording. */
export function selfStateNotices(room: ActiveRoom): SessionFrame[] {
  const at = Date.now()
  const frames: SessionFrame[] = []
  const self = room.self
  if (self.muted || self.cameraOff)
    frames.push({ t: 'notice', notice: { kind: 'media', muted: self.muted, cameraOff: self.cameraOff }, at })
  if (self.handRaised) frames.push({ t: 'notice', notice: { kind: 'hand', raised: true }, at })
  if (room.recorders.has(self.person.peerId)) frames.push({ t: 'notice', notice: { kind: 'recording-started' }, at })
  return frames
}
