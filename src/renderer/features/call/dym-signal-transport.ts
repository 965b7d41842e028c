import type { DymApi } from '../../../shared/contract/index'
import type { SignalTransport } from './types'

/** The mesh's signalling through the core: signal.send out, signal.received in (libp2p under both). */
export function dymSignalTransport(dym: DymApi, roomId: string): SignalTransport {
  return {
    send: (to, signal) => dym.invoke('signal.send', { roomId, to, signal }),
    onSignal: (listener) =>
      dym.on('signal.received', (event) => {
        if (event.roomId === roomId) listener(event.from, event.signal)
      })
  }
}
