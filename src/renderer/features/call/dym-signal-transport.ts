import type { DymApi, EventOf } from '../../../shared/contract/index'
import type { SignalTransport } from './types'

type Received = EventOf<'signal.received'>

const MAX_BUFFERED = 500
const BUFFER_MS = 60_000

/**
 * Signals can arrive between "the core said we joined" and "the mesh engine listens" (other
 * members offer the moment they see us). A lost offer costs a whole negotiation, so the inbox
 * starts listening before we ask to join and keeps what comes until the engine takes it.
 */
class SignalInbox {
  private buffered: Array<{ at: number; event: Received }> = []
  private unsubscribe: (() => void) | null = null
  private consumer: { roomId: string; listener: (event: Received) => void } | null = null

  arm(dym: DymApi): void {
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

const inbox = new SignalInbox()

/** Start keeping signals now: call just before room.create / room.join. */
export function armSignalInbox(dym: DymApi): void {
  inbox.arm(dym)
}

/** The mesh's signalling through the core: signal.send out, signal.received in (libp2p under both). */
export function dymSignalTransport(dym: DymApi, roomId: string): SignalTransport {
  return {
    send: (to, signal) => dym.invoke('signal.send', { roomId, to, signal }),
    onSignal: (listener) => inbox.take(dym, roomId, (event) => listener(event.from, event.signal))
  }
}
