import type { SignalPayload, SignalTransport } from '../../../../src/renderer/features/call/types'

/**
 * Signalling between engines in one page (tests, demos). Messages are copied and delivered
 * asynchronously; `reorder` delays each by a random few ms so candidates overtake offers, as
 * they may over libp2p.
 */
export class InPageBus {
  private readonly listeners = new Map<string, (from: string, signal: SignalPayload) => void>()
  private readonly blocked = new Set<string>()
  delivered = 0
  /** offers each member sent while blocked (lost on the way) */
  readonly droppedOffers = new Map<string, number>()

  constructor(private readonly options: { reorder?: boolean } = {}) {}

  transport(selfId: string): SignalTransport {
    return {
      send: (to, signal) => {
        if (this.blocked.has(selfId) || this.blocked.has(to)) {
          if (signal.kind === 'description' && signal.description.type === 'offer') this.droppedOffers.set(selfId, (this.droppedOffers.get(selfId) ?? 0) + 1)
          return
        }
        const copy = structuredClone(signal)
        const delay = this.options.reorder ? Math.random() * 40 : 0
        setTimeout(() => {
          this.delivered++
          this.listeners.get(to)?.(selfId, copy)
        }, delay)
      },
      onSignal: (listener) => {
        this.listeners.set(selfId, listener)
        return () => {
          if (this.listeners.get(selfId) === listener) this.listeners.delete(selfId)
        }
      }
    }
  }

  /** Drop everything to and from `id` (its signalling link is down). */
  setBlocked(id: string, blocked: boolean): void {
    if (blocked) this.blocked.add(id)
    else this.blocked.delete(id)
  }
}
