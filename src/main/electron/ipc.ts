import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract/ipc-channels'
import { isAppUrl } from '../../shared/security/policy'
import type { Core } from '../core/core'
import { createIpcInvokeHandler } from './ipc-handler'

/** Binds the contract to Electron IPC: one invoke channel in, one event channel out. */
export function bindContractToIpc(core: Core, windows: () => WebContents[]): () => void {
  // Every sender is checked: it must be one of our windows, showing our own page.
  const handler = createIpcInvokeHandler(core, (event: IpcMainInvokeEvent) =>
    windows().some((w) => w.id === event.sender.id) && isAppUrl(event.senderFrame?.url ?? '')
  )
  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, method: unknown, payload: unknown) => handler(event, method, payload))
  const unsubscribe = core.onEvent((name, payload) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, name, payload)
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
    unsubscribe()
  }
}
