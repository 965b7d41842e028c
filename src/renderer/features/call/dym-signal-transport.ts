import type { DymApi } from '../../../shared/contract/index'
import { SignalInbox } from './signal-inbox'
import type { SignalTransport } from './types'

const inbox = new SignalInbox()

/** Start keeping signals now, and forget those kept so far: call just before room.create / room.join. */
export function armSignalInbox(dym: DymApi): void {
  inbox.joining(dym)
}

/** The mesh's signalling through the core: signal.send out, signal.received in (libp2p under both). */
export function dymSignalTransport(dym: DymApi, roomId: string): SignalTransport {
  return {
    send: (to, signal) => dym.invoke('signal.send', { roomId, to, signal }),
    onSignal: (listener) => inbox.take(dym, roomId, (event) => listener(event.from, event.signal))
  }
}
