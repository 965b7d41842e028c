import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/ipc-channels'
import { isAppUrl } from '../../shared/security/policy'
import type { Core } from '../core/core'
import { createIpcInvokeHandler, isTrustedIpcSender } from './ipc-handler'

/**
 * Binds the contract to Electron IPC: one invoke channel in, one event channel out. `appContents`
 * lists the web contents that show our page (the main window); nothing else is served or told
 * anything: not the login window, not a page that navigated away.
 */
export function bindContractToIpc(core: Core, appContents: () => WebContents[]): () => void {
  // Every sender is checked: one of our windows, its main frame, showing our own page. The
  // request itself is then validated by the core against the contract (method, size, schema).
  const handler = createIpcInvokeHandler(core, (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame
    return isTrustedIpcSender(
      event.sender.id,
      frame ? { url: frame.url, isMainFrame: frame.parent === null } : null,
      appContents().map((w) => w.id)
    )
  })
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, payload: unknown) => handler(event, method, payload))
  const unsubscribe = core.onEvent((name, payload) => {
    for (const contents of appContents()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(IPC_EVENT_CHANNEL, name, payload)
    }
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    unsubscribe()
  }
}
