import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { createWsClient } from '../../../src/preload/ws-client'
import { DymError } from '../../../src/shared/contract/errors'
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeoutMs } from '../../../src/shared/contract/timeouts'
import { readRequestFrame } from '../../../src/main/host/ws-frames'
import { decodeWire, defaultBase64, encodeWire } from '../../../src/shared/wire'

/** The renderer's side of the headless host's socket (what ws-bridge.ts installs as window.dym). */
const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

async function server(onRequest: (ws: WebSocket, frame: { id: number; method: string }) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((resolve) => wss.once('listening', resolve))
  wss.on('connection', (ws) => ws.on('message', (data) => onRequest(ws, decodeWire(data.toString()) as { id: number; method: string })))
  cleanups.push(() => wss.close())
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`
}

describe('WebSocket client (window.dym of the headless host)', () => {
  it('a request the core never answers fails after its time with an error naming the method', async () => {
    const url = await server(() => undefined)
    const client = createWsClient({ url, timeoutMs: () => 300 })
    cleanups.push(client.close)
    const started = Date.now()
    const error = await client.invoke('app.info', {}).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(DymError)
    expect(error).toMatchObject({ code: 'unavailable', message: 'The app core did not answer app.info within 300 ms.' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('answers resolve and errors reject as before; a late answer after the timeout is ignored', async () => {
    const url = await server((ws, frame) => {
      const reply = (body: object) => ws.send(encodeWire({ type: 'response', id: frame.id, ...body }))
      if (frame.method === 'app.info') reply({ ok: true, value: { hostKind: 'headless' } })
      else if (frame.method === 'settings.get') reply({ ok: false, error: { code: 'denied', message: 'no' } })
      else setTimeout(() => reply({ ok: true, value: 'late' }), 400)
    })
    const client = createWsClient({ url, timeoutMs: () => 200 })
    cleanups.push(client.close)
    expect(await client.invoke('app.info', {})).toEqual({ hostKind: 'headless' })
    await expect(client.invoke('settings.get', {})).rejects.toMatchObject({ code: 'denied', message: 'no' })
    await expect(client.invoke('core.status', {})).rejects.toMatchObject({ code: 'unavailable' })
    expect(await client.invoke('app.info', {})).toEqual({ hostKind: 'headless' })
  })

  it('sends bytes as one binary frame, which the host reads back to the same bytes', async () => {
    const seen: Array<{ binary: boolean; payload: unknown }> = []
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    cleanups.push(() => wss.close())
    wss.on('connection', (ws) =>
      ws.on('message', (data, binary) => {
        const read = readRequestFrame(binary ? (data as Buffer) : data.toString(), { codec: defaultBase64 })
        if (!read.ok) throw new Error(read.error.message)
        seen.push({ binary, payload: read.frame.payload })
        ws.send(encodeWire({ type: 'response', id: read.frame.id, ok: true, value: null }))
      })
    )
    const client = createWsClient({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/` })
    cleanups.push(client.close)
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251)
    await client.invoke('recording.frames', { recordingId: 'r', seq: 3, bytes })
    await client.invoke('app.info', {})
    expect(seen[0]?.binary).toBe(true)
    const payload = seen[0]?.payload as { recordingId: string; seq: number; bytes: Uint8Array }
    expect({ ...payload, bytes: Uint8Array.from(payload.bytes) }).toEqual({ recordingId: 'r', seq: 3, bytes })
    expect(seen[1]).toEqual({ binary: false, payload: {} })
  })

  it('every method has a time; the ones that wait on people or ffmpeg have longer ones', () => {
    expect(requestTimeoutMs('app.info')).toBe(DEFAULT_REQUEST_TIMEOUT_MS)
    expect(requestTimeoutMs('room.join')).toBeGreaterThan(120_000 + 20_000)
    expect(requestTimeoutMs('identity.threefoldLogin.run')).toBeGreaterThan(120_000)
  })
})
