import type { DymApi } from '../../../shared/contract/index'
import type { SignalInbox } from './signal-inbox'
import type { SignalTransport } from './types'

/**
 * The mesh's signalling through the core: signal.send out, signal.received in (libp2p under
 * both). What arrives comes through the join's inbox, which has kept what came before the mesh listened.
 */
export function dymSignalTransport(dym: DymApi, roomId: string, inbox: SignalInbox): SignalTransport {
  return {
    send: (to, signal) => dym.invoke('signal.send', { roomId, to, signal }),
    onSignal: (listener) => inbox.take(roomId, (event) => listener(event.from, event.signal))
  }
}
