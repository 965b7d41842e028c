import { randomUUID } from 'node:crypto'
import type { RawData, WebSocket } from 'ws'
import type { WsServerFrame } from '../../shared/contract/ws-protocol'
import { encodeWire, type Base64Codec } from '../../shared/wire'
import type { Core } from '../core/core'
import type { Logger } from '../core/log'
import { readRequestFrame } from './ws-frames'

/** A binary message as one buffer (ws hands over a Buffer unless told otherwise). */
function bufferOf(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data
}

/** Node's native base64: recording chunks (~300 KB a second) cost ~2 ms instead of ~40 ms. */
const nodeBase64: Base64Codec = {
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text) => Buffer.from(text, 'base64')
}

export interface WsConnectionLimits {
  /** Requests of one connection the core works on at once; more are answered `unavailable` at once. */
  maxInFlight: number
  /** Bytes waiting to go out to a renderer that does not read them; past this the socket is closed. */
  maxBufferedBytes: number
}

export const DEFAULT_WS_LIMITS: WsConnectionLimits = { maxInFlight: 256, maxBufferedBytes: 64 * 1024 * 1024 }

/**
 * One renderer connection: frames in are read and handed to the core, envelopes and events go
 * back. Every frame with an id is answered, a malformed one with an error; a frame without a
 * usable id cannot be, and is logged. The connection stays up either way.
 */
export function attachWsConnection(ws: WebSocket, core: Core, log: Logger, limits: WsConnectionLimits = DEFAULT_WS_LIMITS): void {
  const caller = { id: `ws:${randomUUID()}` }
  let inFlight = 0
  const send = (frame: WsServerFrame) => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      log.warn(`closed a renderer socket that stopped reading (${ws.bufferedAmount} bytes waiting)`)
      ws.terminate()
      return
    }
    ws.send(encodeWire(frame, nodeBase64))
  }
  const unsubscribe = core.onEvent((event, payload) => send({ type: 'event', event, payload }))
  ws.on('close', unsubscribe)
  ws.on('error', (err) => log.warn('renderer socket error', err))

  ws.on('message', (data, isBinary) => {
    const frame = isBinary ? bufferOf(data) : data.toString()
    const read = readRequestFrame(frame, { codec: nodeBase64 })
    if (!read.ok) {
      if (read.id === null) log.warn(`dropped a frame from the renderer that has no request id: ${read.error.message}`)
      else send({ type: 'response', id: read.id, ok: false, error: read.error })
      return
    }
    const { id, method, payload } = read.frame
    if (inFlight >= limits.maxInFlight) {
      send({
        type: 'response',
        id,
        ok: false,
        error: { code: 'unavailable', message: `More than ${limits.maxInFlight} requests at once: wait for answers.` }
      })
      return
    }
    inFlight++
    void core.invoke(method, payload, caller).then((envelope) => {
      inFlight--
      send(
        envelope.ok ? { type: 'response', id, ok: true, value: envelope.value } : { type: 'response', id, ok: false, error: envelope.error }
      )
    })
  })
}
