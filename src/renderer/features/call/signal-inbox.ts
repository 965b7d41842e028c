import type { DymApi, EventOf } from '../../../shared/contract/index'

type Received = EventOf<'signal.received'>

const MAX_BUFFERED = 500
const BUFFER_MS = 60_000

/**
 * Signals can arrive between "the core said we joined" and "the mesh engine listens" (other
 * members offer the moment they see us). A lost offer costs a whole negotiation, so each join
 * makes an inbox that listens before we ask to join and keeps what comes until the call takes it.
 * One inbox per join: what came for an earlier session of the same meeting (leave and rejoin in
 * the same window) died with that session's inbox, because an old offer or answer replayed into
 * the new call would pair our new connection with one the other side has closed.
 */
export class SignalInbox {
  private buffered: Array<{ at: number; event: Received }> = []
  private consumer: { roomId: string; listener: (event: Received) => void } | null = null
  private readonly unsubscribe: () => void

  constructor(dym: DymApi) {
    this.unsubscribe = dym.on('signal.received', (event) => {
      if (this.consumer?.roomId === event.roomId) return this.consumer.listener(event)
      const now = Date.now()
      this.buffered = this.buffered.filter((b) => now - b.at < BUFFER_MS).slice(-(MAX_BUFFERED - 1))
      this.buffered.push({ at: now, event })
    })
  }

  /** Hands over what was kept for `roomId`, then each new signal for it as it comes. */
  take(roomId: string, listener: (event: Received) => void): () => void {
    this.consumer = { roomId, listener }
    const mine = this.buffered.filter((b) => b.event.roomId === roomId)
    this.buffered = []
    for (const b of mine) listener(b.event)
    return () => {
      if (this.consumer?.listener === listener) this.consumer = null
    }
  }

  /** The join failed or the call ended: stop listening and forget what was kept. */
  close(): void {
    this.unsubscribe()
    this.consumer = null
    this.buffered = []
  }
}
