/**
 * The ICE servers protocol: `dym relay` runs the service, members fetch from it.
 *
 * ```ts
 * // relay
 * createLibp2p({ services: { ice: iceService({ provider: turnServer }) } })
 * // member
 * const { iceServers, expiresAt } = await fetchIceServers(node, relay, roomKey, signal)
 * ```
 */
import { IceService, type IceServiceComponents, type IceServiceInit } from './ice-service'

export function iceService(init: IceServiceInit): (components: IceServiceComponents) => IceService {
  return (components) => new IceService(components, init)
}

export { ICE_PROTOCOL } from './constants'
export { IceRefusedError } from './errors'
export { fetchIceServers, type FetchedIceServers, type RelayRef } from './fetch-ice-servers'
export { MeetingIceServers, type MeetingIceServersOptions, type RelayIceStatus } from './meeting-ice-servers'
export { MeetingRegistry } from './meeting-registry'
export type { IceService, IceServiceInit, IceServerProvider } from './ice-service'
export type { IceServerEntry, IceRefusalCode } from './messages'
