import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startCore, type Core } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import { startHeadlessHost, type HeadlessHost } from '../../../src/main/host/headless-host'
import { decodeWire, encodeWire } from '../../../src/shared/wire'

let dir: string
let core: Core
let host: HeadlessHost

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dym-host-'))
  mkdirSync(path.join(dir, 'renderer'))
  writeFileSync(
    path.join(dir, 'renderer/index.html'),
    '<html><head><title>t</title></head><body><script type="module" src="./a.js"></script></body></html>'
  )
  writeFileSync(path.join(dir, 'bridge.js'), '/* bridge */')
  writeFileSync(path.join(dir, 'secret.txt'), 'not for the web')
  const log = memoryLogger()
  core = await startCore({ dataDir: path.join(dir, 'data'), hostKind: 'headless', log })
  host = await startHeadlessHost({
    core,
    rendererDir: path.join(dir, 'renderer'),
    bridgeFile: path.join(dir, 'bridge.js'),
    log,
    limits: { idleTimeoutMs: 1_000, maxPendingSockets: 8 }
  })
})

afterEach(async () => {
  await host.close()
  await core.stop()
  rmSync(dir, { recursive: true, force: true })
})

const origin = () => `http://127.0.0.1:${host.port}`

/** Resolves with the open socket, or rejects with the HTTP status of the refused upgrade. */
/** A binary request frame (src/shared/wire.ts): the JSON text's length, the text, its bytes. */
function binaryFrame(json: string, bytes: number[]): Buffer {
  const text = Buffer.from(json)
  const header = Buffer.alloc(4)
  header.writeUInt32LE(text.byteLength)
  return Buffer.concat([header, text, Buffer.from(bytes)])
}

function connect(options: { token?: string | null; origin?: string | null; host?: string }): Promise<WebSocket> {
  const token = options.token === undefined ? host.token : options.token
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const headers: Record<string, string> = {}
  const o = options.origin === undefined ? origin() : options.origin
  if (o !== null) headers.origin = o
  if (options.host) headers.host = options.host
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/__dym/ws${query}`, { headers })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Sends a frame (an object, or raw text/bytes with the given id) and waits at most 5 s for its answer. */
function request(ws: WebSocket, frame: unknown, rawId?: number): Promise<Record<string, unknown>> {
  const id = rawId ?? (frame as { id?: number }).id
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.off('message', onMessage)
      reject(new Error(`no answer to request ${id} within 5 s`))
    }, 5_000)
    const onMessage = (data: WebSocket.RawData) => {
      const msg = decodeWire(data.toString()) as Record<string, unknown>
      if (msg.type === 'response' && msg.id === id) {
        clearTimeout(timer)
        ws.off('message', onMessage)
        resolve(msg)
      }
    }
    ws.on('message', onMessage)
    ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : encodeWire(frame))
  })
}

describe('headless host', () => {
  it('binds to 127.0.0.1 and prints a URL with a token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/)
  })

  it('serves the renderer with the bridge injected before the app script, and a CSP', async () => {
    const res = await fetch(origin() + '/')
    const html = await res.text()
    expect(html.indexOf('/__dym/bridge.js')).toBeGreaterThan(-1)
    expect(html.indexOf('/__dym/bridge.js')).toBeLessThan(html.indexOf('./a.js'))
    expect(res.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`)
    expect((await fetch(origin() + '/__dym/bridge.js')).status).toBe(200)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await fetch(origin() + p)
      expect(await res.text()).not.toContain('not for the web')
    }
  })

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(connect({ token: null })).rejects.toThrow('status 401')
    await expect(connect({ token: 'guessed' })).rejects.toThrow('status 401')
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('status 403')
    await expect(connect({ origin: 'http://127.0.0.1:1' })).rejects.toThrow('status 403')
    await expect(connect({ origin: null })).rejects.toThrow('status 403')
  })

  it('answers only requests for its own address: another Host header (a DNS-rebinding page) is refused', async () => {
    const get = (hostHeader: string) =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: hostHeader } }, (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          })
          .on('error', reject)
      })
    expect(await get(`127.0.0.1:${host.port}`)).toBe(200)
    expect(await get(`localhost:${host.port}`)).toBe(200)
    for (const other of [`evil.example:${host.port}`, 'evil.example', `127.0.0.1:${host.port + 1}`, `127.0.0.1.evil.example:${host.port}`])
      expect(await get(other), other).toBe(421)
    // The socket too, even with the right token and Origin.
    await expect(connect({ host: `evil.example:${host.port}` })).rejects.toThrow('status 421')
  })

  it('closes connections that stay idle without authenticating, keeps few of them, and still lets the renderer in', async () => {
    const idle = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<net.Socket>((resolve, reject) => {
            const socket = net.connect(host.port, '127.0.0.1', () => resolve(socket))
            socket.on('error', reject)
          })
      )
    )
    const closed = idle.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())))
    // The oldest twelve make way at once (at most 8 kept); the rest go after 1 s of silence.
    const ws = await connect({})
    expect(await request(ws, { type: 'request', id: 1, method: 'app.info', payload: {} })).toMatchObject({ ok: true })
    await Promise.all(closed)
    // An idle socket opened after the renderer's is closed for its silence; the renderer's is not.
    const later = net.connect(host.port, '127.0.0.1').on('error', () => undefined)
    await new Promise((resolve) => later.once('close', resolve))
    expect(ws.readyState).toBe(WebSocket.OPEN)
    expect(await request(ws, { type: 'request', id: 2, method: 'app.info', payload: {} })).toMatchObject({ ok: true })
    ws.close()
  })

  it('answers contract requests over the socket and rejects bad ones with clear errors', async () => {
    const ws = await connect({})
    expect(await request(ws, { type: 'request', id: 1, method: 'app.info', payload: {} })).toMatchObject({
      ok: true,
      value: { hostKind: 'headless' }
    })
    expect(await request(ws, { type: 'request', id: 2, method: 'app.info', payload: 7 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' }
    })
    expect(await request(ws, { type: 'request', id: 3, method: 'app.info', payload: { x: 'y'.repeat(100_000) } })).toMatchObject({
      ok: false,
      error: { code: 'too-large' }
    })
    expect(await request(ws, { type: 'request', id: 4, method: 'nope', payload: {} })).toMatchObject({
      ok: false,
      error: { code: 'unknown-method', message: expect.stringContaining('nope') }
    })
    ws.close()
  })

  it('drops malformed frames and keeps serving the same connection', async () => {
    const ws = await connect({})
    ws.send('this is not json')
    ws.send(encodeWire({ type: 'request', id: -1, method: 'app.info' }))
    ws.send(Buffer.from([1, 2, 3]))
    expect(await request(ws, { type: 'request', id: 9, method: 'app.info', payload: {} })).toMatchObject({ ok: true })
    ws.close()
  })

  it('answers every frame that has an id, however malformed: missing payload, long method, deep nesting, bad JSON, binary, oversize', async () => {
    const ws = await connect({})
    const cases: Array<[string, string | Buffer, number, string, RegExp]> = [
      ['no payload', '{"type":"request","id":11,"method":"app.info"}', 11, 'bad-request', /no payload/],
      ['a 150-character method', `{"type":"request","id":12,"method":"${'m'.repeat(150)}","payload":{}}`, 12, 'bad-request', /method/],
      [
        '3,000 levels of nesting',
        `{"type":"request","id":13,"method":"app.info","payload":${'['.repeat(3000)}${']'.repeat(3000)}}`,
        13,
        'bad-request',
        /deeper than 64 levels/
      ],
      [
        'nesting before the id',
        `{"payload":${'{"a":'.repeat(500)}1${'}'.repeat(500)},"type":"request","id":14,"method":"app.info"}`,
        14,
        'bad-request',
        /deeper/
      ],
      ['not JSON', '{"type":"request","id":15,"method":"app.info","payload":{', 15, 'bad-request', /not JSON/],
      [
        'JSON text sent as a binary frame',
        Buffer.from('{"type":"request","id":16,"method":"app.info","payload":{}}'),
        16,
        'bad-request',
        /binary frame/
      ],
      [
        'a binary frame whose $bin points past its bytes',
        binaryFrame('{"type":"request","id":20,"method":"app.info","payload":{"b":{"$bin":[0,9]}}}', [1, 2]),
        20,
        'bad-request',
        /points past the 2 bytes/
      ],
      [
        '4 MB for a 32 KiB method',
        `{"type":"request","id":17,"method":"settings.update","payload":{"x":"${'y'.repeat(4_000_000)}"}}`,
        17,
        'too-large',
        /larger than 32768 bytes/
      ],
      ['the wrong type', '{"type":"response","id":18,"method":"app.info","payload":{}}', 18, 'bad-request', /type/]
    ]
    for (const [what, frame, id, code, message] of cases) {
      const answer = await request(ws, frame, id).catch((err: Error) => ({ failed: `${what}: ${err.message}` }))
      expect(answer, what).toMatchObject({ type: 'response', id, ok: false, error: { code, message: expect.stringMatching(message) } })
    }
    // ...and the connection still serves.
    expect(await request(ws, { type: 'request', id: 19, method: 'app.info', payload: {} })).toMatchObject({ ok: true })
    ws.close()
  })

  it('takes a request with bytes as one binary frame (no base64) and checks its bytes like any payload', async () => {
    const ws = await connect({})
    // Well-formed bytes reach the method, which answers about them: here, the recording is unknown.
    const frames = binaryFrame(
      '{"type":"request","id":21,"method":"recording.frames","payload":{"recordingId":"00000000-0000-4000-8000-000000000000","seq":0,"bytes":{"$bin":[0,3]}}}',
      [1, 2, 3]
    )
    expect(await request(ws, frames, 21)).toMatchObject({ ok: false, error: { code: 'not-found' } })
    // A $bin where the schema wants a string is refused by the schema.
    const wrong = binaryFrame(
      '{"type":"request","id":22,"method":"recording.frames","payload":{"recordingId":{"$bin":[0,1]},"seq":0,"bytes":{"$bin":[0,1]}}}',
      [1]
    )
    expect(await request(ws, wrong, 22)).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    ws.close()
  })

  it('works on at most 256 requests of one socket at once; the ones over are answered at once, not queued', async () => {
    const ws = await connect({})
    const invoke = core.invoke.bind(core)
    let held = 0
    const release: Array<() => void> = []
    // A core that is stuck: it answers nothing until released.
    core.invoke = (method, payload, caller) => {
      held++
      return new Promise((resolve) => release.push(() => void invoke(method, payload, caller).then(resolve)))
    }
    const answers = Array.from({ length: 300 }, (_, i) => request(ws, { type: 'request', id: 100 + i, method: 'app.info', payload: {} }))
    const over = await Promise.all(answers.slice(256))
    for (const answer of over)
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'unavailable', message: expect.stringMatching(/More than 256 requests at once/) }
      })
    expect(held).toBe(256)
    for (const r of release) r()
    for (const answer of await Promise.all(answers.slice(0, 256))) expect(answer).toMatchObject({ ok: true })
    core.invoke = invoke
    ws.close()
  })

  it('pushes core events to connected renderers', async () => {
    const ws = await connect({})
    const event = new Promise((resolve) => ws.on('message', (d) => resolve(decodeWire(d.toString()))))
    core.emit('core.status', { state: 'ready', detail: 'hello' })
    expect(await event).toEqual({ type: 'event', event: 'core.status', payload: { state: 'ready', detail: 'hello' } })
    ws.close()
  })
})
