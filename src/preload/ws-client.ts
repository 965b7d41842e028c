import { DymError } from '../shared/contract/errors'
import type { DymApi } from '../shared/contract/index'
import { requestTimeoutMs } from '../shared/contract/timeouts'
import { decodeWire, encodeWireFrame } from '../shared/wire'

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void; timer: ReturnType<typeof setTimeout> }
type ServerFrame =
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: DymError['code']; message: string } }
  | { type: 'event'; event: string; payload: unknown }

export interface WsClientOptions {
  /** ws://host/path?token=... */
  url: string
  /** How long to wait for each answer (default: the contract's per-method time). */
  timeoutMs?: (method: string) => number
}

/**
 * The contract over the headless host's WebSocket: the `window.dym` of ws-bridge.ts. Frames
 * wait in a queue while the socket (re)connects; every request gets an answer, a lost
 * connection or a timeout rejecting it with a DymError that says which.
 */
export function createWsClient(options: WsClientOptions): DymApi & { close(): void } {
  const timeoutFor = options.timeoutMs ?? requestTimeoutMs
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const queue: Array<string | Uint8Array> = []
  let nextId = 1
  let socket: WebSocket | null = null
  let retryMs = 250
  let closed = false

  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id)
    if (!entry) return undefined
    pending.delete(id)
    clearTimeout(entry.timer)
    return entry
  }

  const onFrame = (text: string) => {
    let frame: ServerFrame
    try {
      frame = decodeWire(text) as ServerFrame
    } catch {
      return // the host never sends such a thing; nothing to answer
    }
    if (frame.type === 'event') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload)
      return
    }
    const entry = settle(frame.id)
    if (!entry) return
    if (frame.ok) entry.resolve(frame.value)
    else entry.reject(new DymError(frame.error.code, frame.error.message))
  }

  const connect = () => {
    const ws = new WebSocket(options.url)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (message) => onFrame(String(message.data))
    ws.onclose = () => {
      socket = null
      for (const id of [...pending.keys()]) settle(id)?.reject(new DymError('unavailable', 'Lost the connection to the app core'))
      if (closed) return
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5000)
    }
  }
  connect()

  return {
    invoke(method, request) {
      const id = nextId++
      // Bytes (recording batches) go as a binary frame: no base64, no text to scan.
      const frame = encodeWireFrame({ type: 'request', id, method, payload: request })
      return new Promise((resolve, reject) => {
        const ms = timeoutFor(method)
        const timer = setTimeout(() => {
          const wait = ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`
          settle(id)?.reject(new DymError('unavailable', `The app core did not answer ${method} within ${wait}.`))
        }, ms)
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
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
    },
    close() {
      closed = true
      socket?.close()
    }
  }
}
