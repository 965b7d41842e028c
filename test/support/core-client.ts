import WebSocket from 'ws'
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../src/shared/contract/index'
import { DymError } from '../../src/shared/contract/errors'
import { WS_PATH } from '../../src/shared/contract/ws-protocol'
import { decodeWire, encodeWire } from '../../src/shared/wire'
import type { HostProcess } from './host-process'

/**
 * A headless host's contract from Node, exactly as the renderer's bridge speaks it (token,
 * Origin, JSON with base64 bytes). For tests that drive the core without a browser.
 */
export class CoreClient {
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  readonly events: Array<{ event: string; payload: unknown }> = []

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = decodeWire(data.toString()) as {
        type: string
        id?: number
        ok?: boolean
        value?: unknown
        error?: { code: DymError['code']; message: string }
        event?: string
        payload?: unknown
      }
      if (frame.type === 'event') {
        this.events.push({ event: frame.event ?? '', payload: frame.payload })
        return
      }
      const entry = this.pending.get(frame.id ?? -1)
      if (!entry) return
      this.pending.delete(frame.id ?? -1)
      if (frame.ok) entry.resolve(frame.value)
      else entry.reject(new DymError(frame.error?.code ?? 'internal', frame.error?.message ?? 'error'))
    })
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new DymError('unavailable', 'connection closed'))
      this.pending.clear()
    })
  }

  static async connect(host: HostProcess): Promise<CoreClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${new URL(host.origin).port}${WS_PATH}?token=${encodeURIComponent(host.token)}`, {
      headers: { origin: host.origin }
    })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new CoreClient(ws)
  }

  invoke<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.ws.send(encodeWire({ type: 'request', id, method, payload: request }))
    })
  }

  eventsOf<E extends EventName>(event: E): Array<EventOf<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as EventOf<E>)
  }

  close(): void {
    this.ws.terminate()
  }
}
