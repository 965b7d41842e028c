import { sdpIceUfrags, sdpSessionId } from '../../../../src/renderer/features/call/sdp'
import type { SignalPayload, SignalTransport } from '../../../../src/renderer/features/call/types'

/**
 * Signalling between engines in one page (tests, demos). Messages are copied and delivered
 * asynchronously; `reorder` delays each by a random few ms so candidates overtake offers, as
 * they may over libp2p. `loseFirstCandidates` loses every ICE candidate of each member's first
 * peer connection (its first SDP session): that link can never connect, as a link that stopped
 * gathering candidates cannot.
 */
export class InPageBus {
  private readonly listeners = new Map<string, (from: string, signal: SignalPayload) => void>()
  private readonly blocked = new Set<string>()
  delivered = 0
  /** offers each member sent while blocked (lost on the way) */
  readonly droppedOffers = new Map<string, number>()
  /** offers each member put on the bus, blocked or not */
  readonly sentOffers = new Map<string, number>()
  /** per member: its first SDP session, and the ICE usernames used in it */
  private readonly firstSession = new Map<string, { id: string | null; ufrags: Set<string> }>()
  /** per member: how long each of its answers takes to arrive (a slow link, a busy machine) */
  private readonly answerDelay = new Map<string, number>()
  /** per member with slow answers: what it sent, in order, each not before its time (as on one stream) */
  private readonly queues = new Map<string, { due: number; to: string; signal: SignalPayload }[]>()

  constructor(private readonly options: { reorder?: boolean; loseFirstCandidates?: boolean } = {}) {}

  transport(selfId: string): SignalTransport {
    return {
      send: (to, signal) => {
        if (signal.kind === 'description' && signal.description.type === 'offer')
          this.sentOffers.set(selfId, (this.sentOffers.get(selfId) ?? 0) + 1)
        if (this.blocked.has(selfId) || this.blocked.has(to)) {
          if (signal.kind === 'description' && signal.description.type === 'offer')
            this.droppedOffers.set(selfId, (this.droppedOffers.get(selfId) ?? 0) + 1)
          return
        }
        if (this.options.loseFirstCandidates && this.ofFirstSession(selfId, signal)) return
        const copy = structuredClone(signal)
        const slow = this.answerDelay.get(selfId)
        if (slow !== undefined) {
          const isAnswer = signal.kind === 'description' && signal.description.type === 'answer'
          return this.inOrder(selfId, to, copy, isAnswer ? slow : 0)
        }
        setTimeout(() => this.deliver(selfId, to, copy), this.options.reorder ? Math.random() * 40 : 0)
      },
      onSignal: (listener) => {
        this.listeners.set(selfId, listener)
        return () => {
          if (this.listeners.get(selfId) === listener) this.listeners.delete(selfId)
        }
      }
    }
  }

  private deliver(from: string, to: string, signal: SignalPayload): void {
    this.delivered++
    this.listeners.get(to)?.(from, signal)
  }

  /** Deliver after `ms`, never before what `from` sent earlier. */
  private inOrder(from: string, to: string, signal: SignalPayload, ms: number): void {
    const queue = this.queues.get(from) ?? []
    this.queues.set(from, queue)
    const due = Math.max(performance.now() + ms, queue.at(-1)?.due ?? 0)
    queue.push({ due, to, signal })
    if (queue.length === 1) this.pump(from, queue)
  }

  private pump(from: string, queue: { due: number; to: string; signal: SignalPayload }[]): void {
    const head = queue[0]
    if (!head) return
    setTimeout(
      () => {
        while (queue[0] && queue[0].due <= performance.now()) {
          const next = queue.shift()!
          this.deliver(from, next.to, next.signal)
        }
        this.pump(from, queue)
      },
      Math.max(0, head.due - performance.now())
    )
  }

  private ofFirstSession(from: string, signal: SignalPayload): boolean {
    if (signal.kind === 'description') {
      const id = sdpSessionId(signal.description.sdp)
      const first = this.firstSession.get(from) ?? { id, ufrags: new Set<string>() }
      this.firstSession.set(from, first)
      if (first.id === id) for (const u of sdpIceUfrags(signal.description.sdp)) first.ufrags.add(u)
      return false
    }
    return signal.kind === 'candidate' && this.firstSession.get(from)?.ufrags.has(signal.candidate?.usernameFragment ?? '') === true
  }

  /** Every answer `id` sends arrives `ms` late, and what it sends after it waits behind it. */
  setAnswerDelay(id: string, ms: number): void {
    this.answerDelay.set(id, ms)
  }

  /** Drop everything to and from `id` (its signalling link is down). */
  setBlocked(id: string, blocked: boolean): void {
    if (blocked) this.blocked.add(id)
    else this.blocked.delete(id)
  }
}
