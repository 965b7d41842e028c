import QuickLRU from 'quick-lru'
import type { PersonView } from '../../../shared/contract/people'
import type { RoomRules } from '../../../shared/contract/rooms'
import type { Admission, RoomSession } from '../p2p/protocols/room/index'
import { AskQueue, judgeByRules } from './admission'
import type { ModerationState } from './moderation'
import { ADMISSION_GRACE_MS } from './tuning'

/** What the door needs to know of the meeting. */
export interface DoorContext {
  readonly rules: RoomRules
  readonly creator: string
  readonly isHost: boolean
  readonly moderation: { readonly state: ModerationState }
  /** someone we have (or had) a session with */
  knows(peerId: string): boolean
  liveSessions(): RoomSession[]
}

/**
 * Who gets into the meeting: the room's rules, the host's queue for ask-to-join, the people the
 * host let in (every member admits them), the grace for people we just let in whose session is
 * not attached yet, and what moderation closed (removed people, a locked meeting).
 */
export class MeetingDoor {
  /** people the host of an ask-to-join meeting let in */
  private readonly hostAdmitted = new QuickLRU<string, true>({ maxSize: 500 })
  /** people we just let in whose session is not attached yet */
  private readonly justLetIn = new QuickLRU<string, true>({ maxSize: 500, maxAge: ADMISSION_GRACE_MS })
  private readonly asks: AskQueue

  constructor(
    private readonly meeting: DoorContext,
    onAsk: (person: PersonView) => void
  ) {
    this.asks = new AskQueue(onAsk)
  }

  /** May this verified newcomer come in? Known members and people the host let in may. */
  async admit(id: string, person: PersonView, tellJoiner: (reason: string) => Promise<void>, signal?: AbortSignal): Promise<Admission> {
    const m = this.meeting
    if (m.moderation.state.removed.has(id)) return { ok: false, code: 'declined', reason: 'The host removed you from this meeting' }
    const known = id === m.creator || this.hostAdmitted.has(id) || m.knows(id)
    if (!known && m.moderation.state.locked)
      return { ok: false, code: 'declined', reason: 'The host has locked this meeting: nobody new can join' }
    let admission: Admission = { ok: true }
    if (!known) {
      const judged = judgeByRules(m.rules, m.isHost, person)
      admission = judged === 'ask' ? await this.asks.ask(id, person, tellJoiner, signal) : judged
      if (judged === 'ask' && admission.ok) {
        this.hostAdmitted.set(id, true)
        for (const s of m.liveSessions()) s.send({ t: 'admitted', peerId: id }).catch(() => undefined)
      }
    }
    if (admission.ok) this.justLetIn.set(id, true)
    return admission
  }

  /** The host's answer to someone waiting; false when nobody with that id waits. */
  answer(peerId: string, admit: boolean): boolean {
    return this.asks.answer(peerId, admit)
  }

  /** The host let these in (its word, or the facts of our welcome). */
  admittedByHost(ids: Iterable<string>): void {
    for (const id of ids) this.hostAdmitted.set(id, true)
  }

  admittedList(): string[] {
    return [...this.hostAdmitted.keys()].slice(-200)
  }

  /** Let in a moment ago, session not attached yet: its signals may race the handshake's end. */
  isJustLetIn(peerId: string): boolean {
    return this.justLetIn.has(peerId)
  }

  attached(peerId: string): void {
    this.justLetIn.delete(peerId)
  }

  /** The meeting is over for us: everyone still waiting hears why. */
  close(reason: string): void {
    this.asks.refuseAll(reason)
  }
}
