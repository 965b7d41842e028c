import { sdpIceUfrags } from './sdp'
import type { SignalPayload } from './types'

export type SentCandidate = NonNullable<Extract<SignalPayload, { kind: 'candidate' }>['candidate']>

/** Candidates kept to send again with an offer made again (a link gathers far fewer). */
const MAX_KEPT_CANDIDATES = 100

export interface OfferMemoryOptions {
  send: (signal: SignalPayload) => void
  /** still waiting for the answer to our offer (the link is open, its offer is out) */
  awaiting: () => boolean
  log: (message: string) => void
  answerTimeoutMs: number
}

/**
 * The descriptions one link sent and applied, exactly as they went: an unanswered offer is made
 * again word for word, a repeated offer gets the same answer, a repeated answer is ignored.
 *
 * Word for word, not a rollback and a new offer: when the answer was only slow, the other side
 * has applied our offer, a late answer would find its offer gone, and a first offer made again
 * after a rollback names its m-lines anew, which the other side then refuses for good.
 */
export class OfferMemory {
  private sentOffer: string | null = null
  /** our ICE candidates sent so far (the last MAX_KEPT_CANDIDATES): made again with the offer */
  private readonly sentCandidates: SentCandidate[] = []
  /** the last offer we answered and our answer to it */
  private answered: { offer: string; answer: string } | null = null
  /** the answer we applied last */
  private appliedAnswer: string | null = null
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly o: OfferMemoryOptions) {}

  /** Our offer went out: if no answer comes in time, it goes again. */
  offered(sdp: string): void {
    this.sentOffer = sdp
    this.awaitAnswer()
  }

  candidate(candidate: SentCandidate): void {
    this.sentCandidates.push(candidate)
    if (this.sentCandidates.length > MAX_KEPT_CANDIDATES) this.sentCandidates.shift()
    this.o.send({ kind: 'candidate', candidate })
  }

  answeredOffer(offer: string, answer: string): void {
    this.answered = { offer, answer }
  }

  /**
   * The other side made its offer again because our answer was slow: send the same answer again
   * (a new one would look like a different negotiation to a side that got the first). True when
   * this offer is such a repeat and has been answered.
   */
  answerRepeat(offer: string): boolean {
    if (offer !== this.answered?.offer) return false
    this.o.send({ kind: 'description', description: { type: 'answer', sdp: this.answered.answer } })
    return true
  }

  appliedAnswerWas(answer: string): void {
    this.appliedAnswer = answer
  }

  /** An answer we applied already (it came again with a repeated offer's answer). */
  isRepeatAnswer(answer: string): boolean {
    return answer === this.appliedAnswer
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private awaitAnswer(): void {
    this.close()
    this.timer = setTimeout(() => {
      this.timer = null
      const offer = this.sentOffer
      if (!offer || !this.o.awaiting()) return
      this.o.log('no answer: offering again')
      this.o.send({ kind: 'description', description: { type: 'offer', sdp: offer } })
      // What went missing with the offer (candidates of its ICE username) goes again too.
      const ufrags = sdpIceUfrags(offer)
      for (const candidate of this.sentCandidates)
        if (ufrags.has(candidate.usernameFragment ?? '')) this.o.send({ kind: 'candidate', candidate })
      this.awaitAnswer()
    }, this.o.answerTimeoutMs)
  }
}
