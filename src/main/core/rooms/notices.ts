import type { PersonView } from '../../../shared/contract/people'
import type { Notice, RoomView } from '../../../shared/contract/rooms'
import type { SessionFrame } from '../p2p/protocols/room/index'
import type { SelfState } from './member'

/** The part of a member (or of ourselves) that notices change. */
export type NoticeFlags = Pick<SelfState, 'handRaised' | 'muted' | 'cameraOff'>

/** A running recording's request for each member's consent. */
export type ConsentRequest = RoomView['consentRequests'][number]

/**
 * What notices change that is the meeting's: who records it now (peer id -> person, in the order
 * they started) and what each recording asks (its consent request: a member who came in after
 * the notice is asked from the room view), and our own running recording's notice, told again
 * to each newcomer. Changed only by the meeting.
 */
export class MeetingNotices {
  private readonly recorders = new Map<string, PersonView>()
  private readonly requests = new Map<string, ConsentRequest>()
  private ownRecording: Notice | null = null

  /**
   * Apply a notice from `person` to its flags and to who records. True when the room view
   * changed.
   */
  apply(person: PersonView, flags: NoticeFlags, notice: Notice): boolean {
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
        this.recorders.set(person.peerId, person)
        // Only a recorder asks for its own recording.
        if (notice.consent?.recorder === person.peerId) this.requests.set(person.peerId, { ...notice.consent })
        else this.requests.delete(person.peerId)
        return true
      case 'recording-stopped':
        this.requests.delete(person.peerId)
        return this.recorders.delete(person.peerId)
      default:
        return false
    }
  }

  /** Our own notice, about to be sent to everyone. True when the room view changed. */
  applyOwn(self: SelfState, notice: Notice): boolean {
    if (notice.kind === 'recording-started') this.ownRecording = notice
    if (notice.kind === 'recording-stopped') this.ownRecording = null
    return this.apply(self.person, self, notice)
  }

  /** A member is gone: it records nothing any more. */
  gone(peerId: string): void {
    this.recorders.delete(peerId)
    this.requests.delete(peerId)
  }

  /** What the running recordings ask, in the order they started. */
  consentRequests(): Iterable<ConsentRequest> {
    return this.requests.values()
  }

  /** Who records the meeting now, in the order they started. */
  recording(): Iterable<PersonView> {
    return this.recorders.values()
  }

  /** What a newcomer should learn about us straight away: mute state, raised hand, a running recording. */
  forNewcomer(self: SelfState): SessionFrame[] {
    const recording = this.recorders.has(self.person.peerId) ? (this.ownRecording ?? { kind: 'recording-started' as const }) : null
    return selfStateFrames(self, recording)
  }
}

function selfStateFrames(self: SelfState, recording: Notice | null): SessionFrame[] {
  const at = Date.now()
  const frames: SessionFrame[] = []
  if (self.muted || self.cameraOff)
    frames.push({ t: 'notice', notice: { kind: 'media', muted: self.muted, cameraOff: self.cameraOff }, at })
  if (self.handRaised) frames.push({ t: 'notice', notice: { kind: 'hand', raised: true }, at })
  if (recording) frames.push({ t: 'notice', notice: recording, at })
  return frames
}
