import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/contract/ipc-channels'
import type { Envelope } from '../shared/contract/errors'

/**
 * The Electron preload: exposes `window.dym` and nothing else. It forwards; the main process
 * validates. Rejections are plain `{ code, message }` objects because class instances do not
 * survive the context bridge (the renderer reads them with `toDymError`).
 */
contextBridge.exposeInMainWorld('dym', {
  invoke: async (method: string, request: unknown) => {
    const envelope = (await ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, request)) as Envelope<unknown>
    if (envelope.ok) return envelope.value
    throw { name: 'DymError', code: envelope.error.code, message: envelope.error.message }
  },
  on: (event: string, listener: (payload: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped)
    }
  }
})
