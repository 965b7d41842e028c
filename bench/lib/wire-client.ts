import WebSocket from 'ws'
import { decodeWire, encodeWire } from '../../src/shared/wire'

/** A minimal client for anything that speaks the contract's WebSocket frames (the bench baseline). */
export class WireClient {
  private nextId = 1
  private readonly pending = new Map<number, (value: unknown) => void>()

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = decodeWire(data.toString()) as { type: string; id: number; value: unknown }
      this.pending.get(frame.id)?.(frame.value)
      this.pending.delete(frame.id)
    })
  }

  static async connect(url: string): Promise<WireClient> {
    const ws = new WebSocket(url)
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new WireClient(ws)
  }

  invoke(method: string, payload: unknown): Promise<unknown> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.ws.send(encodeWire({ type: 'request', id, method, payload }))
    })
  }

  close(): void {
    this.ws.terminate()
  }
}
