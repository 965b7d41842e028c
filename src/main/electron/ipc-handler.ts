import type { Envelope } from '../../shared/contract/errors'
import type { Core } from '../core/core'

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
