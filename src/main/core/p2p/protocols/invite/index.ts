/**
 * The invite protocol: every app node runs it; a joiner with a short code asks members with it.
 *
 * ```ts
 * createLibp2p({ services: { invite: inviteProtocol({ host }) } })
 * const text = await askForInvite(node, member, await codeKey(code), signal)
 * ```
 */
import { InviteProtocol, type InviteProtocolComponents, type InviteProtocolInit } from './invite-protocol'

export function inviteProtocol(init: InviteProtocolInit): (components: InviteProtocolComponents) => InviteProtocol {
  return (components) => new InviteProtocol(components, init)
}

export { INVITE_PROTOCOL } from './constants'
export { askForInvite, InviteRefusedError, type InviteHost, type InviteProtocol, type InviteProtocolInit } from './invite-protocol'
export { codeKey, codeRendezvousCid } from './proof'
