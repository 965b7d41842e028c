/**
 * The signalling protocol as a libp2p service:
 *
 * ```ts
 * const node = await createLibp2p({ services: { signal: signalProtocol({ host }) } })
 * await node.services.signal.send(peerId, roomId, { kind: 'description', description })
 * ```
 */
import { SignalProtocol, type SignalProtocolComponents, type SignalProtocolInit } from './signal-protocol'

export function signalProtocol(init: SignalProtocolInit): (components: SignalProtocolComponents) => SignalProtocol {
  return (components) => new SignalProtocol(components, init)
}

export { SIGNAL_PROTOCOL } from './constants'
export type { SignalProtocol, SignalHost, SignalProtocolInit } from './signal-protocol'
