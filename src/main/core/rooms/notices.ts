import type { PersonView } from '../../../shared/contract/people'
import type { Notice } from '../../../shared/contract/rooms'
import type { SessionFrame } from '../p2p/protocols/room/index'
import type { SelfState } from './member'

/** The part of a member (or of ourselves) that notices change. */
export type NoticeFlags = Pick<SelfState, 'handRaised' | 'muted' | 'cameraOff'>

/**
 * Apply a notice from `person` to its flags and to the meeting's recorders (peer id -> person,
 * in the order they started). True when the room view changed. Called by the meeting only: the
 * flags and the recorders are its state.
 */
export function applyNotice(person: PersonView, flags: NoticeFlags, recorders: Map<string, PersonView>, notice: Notice): boolean {
  switch (notice.kind) {
    case 'hand':
      flags.handRaised = notice.raised
      return true
    case 'media':
      flags.muted = notice.muted
      flags.cameraOff = notice.cameraOff
      return true
    case 'recording-started':
      // Several may record at once: one stopping must not hide that another still records.
      // A repeat (told again to each session on attach) keeps its place: a Map's set does.
      recorders.set(person.peerId, person)
      return true
    case 'recording-stopped':
      return recorders.delete(person.peerId)
    default:
      return false
  }
}

/** What a newcomer should learn about us straight away: mute state, raised hand, a running recording. */
export function selfStateFrames(self: SelfState, recording: Notice | null): SessionFrame[] {
  const at = Date.now()
  const frames: SessionFrame[] = []
  if (self.muted || self.cameraOff)
    frames.push({ t: 'notice', notice: { kind: 'media', muted: self.muted, cameraOff: self.cameraOff }, at })
  if (self.handRaised) frames.push({ t: 'notice', notice: { kind: 'hand', raised: true }, at })
  if (recording) frames.push({ t: 'notice', notice: recording, at })
  return frames
}
