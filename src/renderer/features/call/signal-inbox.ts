import type { DymApi, EventOf } from '../../../shared/contract/index'

type Received = EventOf<'signal.received'>

const MAX_BUFFERED = 500
const BUFFER_MS = 60_000

/**
 * Signals can arrive between "the core said we joined" and "the mesh engine listens" (other
 * members offer the moment they see us). A lost offer costs a whole negotiation, so the inbox
 * starts listening before we ask to join and keeps what comes until the engine takes it.
 */
export class SignalInbox {
  private buffered: Array<{ at: number; event: Received }> = []
  private unsubscribe: (() => void) | null = null
  private consumer: { roomId: string; listener: (event: Received) => void } | null = null

  /**
   * A join is about to start. What came before it belongs to an earlier meeting, or to our own
   * earlier session of this one (leave and rejoin in the same window): an old offer or answer
   * replayed into the new call would pair our new connection with one the other side has closed.
   */
  joining(dym: DymApi): void {
    this.buffered = []
    this.arm(dym)
  }

  private arm(dym: DymApi): void {
    if (this.unsubscribe) return
    this.unsubscribe = dym.on('signal.received', (event) => {
      if (this.consumer?.roomId === event.roomId) return this.consumer.listener(event)
      const now = Date.now()
      this.buffered = this.buffered.filter((b) => now - b.at < BUFFER_MS).slice(-(MAX_BUFFERED - 1))
      this.buffered.push({ at: now, event })
    })
  }

  take(dym: DymApi, roomId: string, listener: (event: Received) => void): () => void {
    this.arm(dym)
    this.consumer = { roomId, listener }
    const mine = this.buffered.filter((b) => b.event.roomId === roomId)
    this.buffered = []
    for (const b of mine) listener(b.event)
    return () => {
      if (this.consumer?.listener === listener) this.consumer = null
    }
  }
}
