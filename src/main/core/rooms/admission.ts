import type { PersonView } from '../../../shared/contract/people'
import type { RoomRules } from '../../../shared/contract/rooms'
import type { Admission } from '../p2p/protocols/room/index'

/** At most this many people wait for the host's answer at once. */
const MAX_WAITING = 20

/**
 * The room's rules applied to a verified newcomer: open, listed (verified names on the list), or
 * ask-to-join, where only the creator decides (`'ask'`: put them in the host's queue).
 */
export function judgeByRules(rules: RoomRules, weAreHost: boolean, person: PersonView): Admission | 'ask' {
  if (rules.mode === 'open') return { ok: true }
  if (rules.mode === 'listed') {
    if (person.verification === 'verified' && person.name && rules.names.includes(person.name)) return { ok: true }
    return {
      ok: false,
      code: 'not-listed',
      reason: person.name
        ? `${person.name} is not on this meeting's guest list`
        : 'This meeting is only for the people on its guest list: sign in with your 3Bot to join'
    }
  }
  if (!weAreHost) return { ok: false, code: 'no-host', reason: 'Only the host can let you in' }
  return 'ask'
}

interface Waiting {
  person: PersonView
  decide(admission: Admission): void
}

/**
 * The people asking the host of an ask-to-join meeting to let them in: the joiner is told it is
 * waiting, the host gets `onAsk` (the UI's join request) and answers with `answer`.
 */
export class AskQueue {
  private readonly waiting = new Map<string, Waiting>()

  constructor(private readonly onAsk: (person: PersonView) => void) {}

  async ask(peerId: string, person: PersonView, tellJoiner: (reason: string) => Promise<void>, signal?: AbortSignal): Promise<Admission> {
    if (this.waiting.size >= MAX_WAITING && !this.waiting.has(peerId)) {
      return { ok: false, code: 'busy', reason: 'Too many people are waiting to be let in' }
    }
    await tellJoiner('Waiting for the host to let you in')
    this.waiting.get(peerId)?.decide({ ok: false, code: 'declined', reason: 'You asked again from elsewhere' })
    const admission = await new Promise<Admission>((resolve) => {
      const onAbort = () => resolve({ ok: false, code: 'declined', reason: 'The host did not answer in time' })
      signal?.addEventListener('abort', onAbort, { once: true })
      const entry: Waiting = {
        person,
        decide: (a) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(a)
        }
      }
      this.waiting.set(peerId, entry)
      this.onAsk(person)
    })
    this.waiting.delete(peerId)
    return admission
  }

  /** The host's answer; false when nobody with that id is waiting. */
  answer(peerId: string, admit: boolean): boolean {
    const entry = this.waiting.get(peerId)
    if (!entry) return false
    entry.decide(admit ? { ok: true } : { ok: false, code: 'declined', reason: 'The host did not let you in' })
    return true
  }

  /** The meeting is over for us: everyone still waiting hears why. */
  refuseAll(reason: string): void {
    for (const entry of [...this.waiting.values()]) entry.decide({ ok: false, code: 'no-host', reason })
  }
}
