/**
 * The room protocol as a libp2p service:
 *
 * ```ts
 * const node = await createLibp2p({ services: { room: roomProtocol({ host }) } })
 * const session = await node.services.room.join(multiaddrs, roomId, roomKey)
 * session.start({ frame, end })
 * ```
 */
import { RoomProtocol, type RoomProtocolComponents, type RoomProtocolInit } from './room-protocol'

export function roomProtocol(init: RoomProtocolInit): (components: RoomProtocolComponents) => RoomProtocol {
  return (components) => new RoomProtocol(components, init)
}

export { ROOM_PROTOCOL } from './constants'
export type { RoomProtocol, RoomHost, RoomProtocolInit, Admission, JoinOptions } from './room-protocol'
export type { RoomSession, SessionEnd, SessionHandlers } from './session'
export type { RoomFacts, MemberAddress, SessionFrame, ChatFrame, ModerateFrame, RekeyFrame } from './messages'
