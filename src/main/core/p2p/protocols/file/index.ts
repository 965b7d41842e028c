/**
 * Files in chat as a libp2p service:
 *
 * ```ts
 * const node = await createLibp2p({ services: { file: fileProtocol({ host }) } })
 * const channel = await node.services.file.open(peerId)
 * ```
 */
import { FileProtocol, type FileProtocolComponents, type FileProtocolInit } from './file-protocol'

export function fileProtocol(init: FileProtocolInit): (components: FileProtocolComponents) => FileProtocol {
  return (components) => new FileProtocol(components, init)
}

export * from './constants'
export { FileChannel, type FileFrame } from './file-channel'
export type { FileProtocol, FileHost, FileProtocolInit } from './file-protocol'
export { OfferFrame, ControlFrame, RefuseCode } from './messages'
export type { OfferFrame as Offer } from './messages'
