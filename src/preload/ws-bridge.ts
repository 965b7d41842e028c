import { DymError } from '../shared/contract/errors'
import type { DymApi } from '../shared/contract/index'
import { WS_PATH } from '../shared/contract/ws-protocol'
import { decodeWire, encodeWire } from '../shared/wire'

/**
 * `window.dym` for the headless host: the same API as the Electron preload, carried over the
 * host's WebSocket. The host injects this script before the renderer, which cannot tell the
 * difference. The launch token comes from the URL once and is kept for reloads of this tab.
 */
type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void }
type ServerFrame =
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: DymError['code']; message: string } }
  | { type: 'event'; event: string; payload: unknown }

const TOKEN_KEY = 'dym.token'

function launchToken(): string {
  const url = new URL(location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function createWsBridge(): DymApi {
  const token = launchToken()
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let socket: WebSocket | null = null
  let retryMs = 250

  const connect = () => {
    const ws = new WebSocket(`ws://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (message) => {
      const frame = decodeWire(String(message.data)) as ServerFrame
      if (frame.type === 'event') {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload)
        return
      }
      const entry = pending.get(frame.id)
      if (!entry) return
      pending.delete(frame.id)
      if (frame.ok) entry.resolve(frame.value)
      else entry.reject(new DymError(frame.error.code, frame.error.message))
    }
    ws.onclose = () => {
      socket = null
      for (const entry of pending.values()) entry.reject(new DymError('unavailable', 'Lost the connection to the app core'))
      pending.clear()
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5000)
    }
  }
  connect()

  return {
    invoke(method, request) {
      const id = nextId++
      const frame = encodeWire({ type: 'request', id, method, payload: request })
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queue.push(frame)
      })
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      const wrapped = listener as (payload: unknown) => void
      set.add(wrapped)
      return () => set.delete(wrapped)
    }
  }
}

;(window as unknown as { dym: DymApi }).dym = createWsBridge()
