import type { Envelope } from '../../shared/contract/errors'
import { isAppUrl } from '../../shared/security/policy'
import type { Core } from '../core/core'

/**
 * Who may call the core over IPC: one of our app windows (by web contents id), from its main
 * frame (never an iframe), while that frame shows our own page (never a page it was tricked
 * into loading). A frame that is gone (null) is refused.
 */
export function isTrustedIpcSender(
  senderId: number,
  frame: { url: string; isMainFrame: boolean } | null,
  appContentIds: readonly number[]
): boolean {
  return appContentIds.includes(senderId) && frame !== null && frame.isMainFrame && isAppUrl(frame.url)
}

/**
 * The IPC invoke handler as a plain function (no Electron import), so both transports' code
 * paths are unit-tested: an untrusted sender is refused before anything is parsed; the rest
 * goes through the core's validation like a WebSocket request.
 */
export function createIpcInvokeHandler<E extends { sender: { id: number } }>(
  core: Core,
  isTrustedSender: (event: E) => boolean
): (event: E, method: unknown, payload: unknown) => Promise<Envelope<unknown>> {
  return async (event, method, payload) => {
    if (!isTrustedSender(event)) {
      core.log.warn(`refused IPC from untrusted sender ${event.sender.id}`)
      return { ok: false, error: { code: 'denied', message: 'Sender is not an app window' } }
    }
    return core.invoke(method, payload, { id: `ipc:${event.sender.id}` })
  }
}
