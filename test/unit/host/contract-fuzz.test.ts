import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { methods, type MethodName } from '../../../src/shared/contract/index'
import { WS_PATH } from '../../../src/shared/contract/ws-protocol'
import { decodeWire, encodeWire } from '../../../src/shared/wire'
import { CONTRACT_EXAMPLES } from '../../support/contract-examples'
import { fuzzValues } from '../../support/fuzz-frames'
import { startFuzzHost, type FuzzHost, type MemoryFigures } from '../../support/fuzz-host'

/**
 * What a page or process holding the launch token could do to the headless host: every method
 * of the contract with malformed payloads, and raw frames no bridge would send (no payload,
 * long method names, deep nesting, bad JSON, binary, oversize). Every request with an id is
 * answered, and memory comes back: the host runs in its own process, measured after a full GC.
 */
const PER_METHOD = 60
let host: FuzzHost
beforeAll(async () => {
  host = await startFuzzHost()
}, 60_000)
afterAll(async () => {
  await host?.stop()
})

const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

async function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`, { headers: { origin: host.origin } })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  return ws
}

/** One attack: sends everything, then waits (at most 90 s) for the answers. Returns what was not answered. */
async function attack(seed: number): Promise<{ sent: number; unanswered: string[] }> {
  const ws = await connect()
  const waiting = new Map<number, string>()
  ws.on('message', (data) => {
    const frame = decodeWire(data.toString()) as { type: string; id?: number }
    if (frame.type === 'response' && frame.id !== undefined) waiting.delete(frame.id)
  })
  let id = seed * 1_000_000
  const sendRaw = (what: string, text: string | Buffer) => {
    waiting.set(++id, what)
    ws.send(typeof text === 'string' ? text.replace('$ID', String(id)) : text)
  }
  const names = Object.keys(methods) as MethodName[]
  for (const [i, name] of names.entries()) {
    for (const payload of fuzzValues([CONTRACT_EXAMPLES[name]], PER_METHOD, seed * 1000 + i)) {
      waiting.set(++id, name)
      ws.send(encodeWire({ type: 'request', id, method: name, payload }))
    }
    // Let the host answer as it goes: a burst of thousands is the in-flight limit's test, not this one's.
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  for (let i = 0; i < 10; i++) {
    sendRaw('no payload', '{"type":"request","id":$ID,"method":"app.info"}')
    sendRaw('long method', `{"type":"request","id":$ID,"method":"${'m'.repeat(150 + i)}","payload":{}}`)
    sendRaw('deep', `{"type":"request","id":$ID,"method":"app.info","payload":${'['.repeat(3000)}${']'.repeat(3000)}}`)
    sendRaw('deep and big', `{"type":"request","id":$ID,"method":"app.info","payload":${'['.repeat(2_000_000)}${']'.repeat(2_000_000)}}`)
    sendRaw('not JSON', '{"type":"request","id":$ID,"method":"chat.send","payload":{"roomId":')
    sendRaw('big', `{"type":"request","id":$ID,"method":"settings.update","payload":{"x":"${'y'.repeat(3_000_000)}"}}`)
    waiting.set(++id, 'binary')
    ws.send(Buffer.from(`{"type":"request","id":${id},"method":"app.info","payload":{}}`))
    ws.send('garbage without an id')
  }
  const deadline = Date.now() + 90_000
  while (waiting.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  ws.close()
  return { sent: id - seed * 1_000_000, unanswered: [...waiting.values()] }
}

const show = (m: MemoryFigures) => `rss ${MiB(m.rss)} MiB, heap ${MiB(m.heapUsed)} MiB`
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

/**
 * Attacks three times, measuring after each; the plateau is the median. (The resident size of
 * one process after a full GC still moves by some 10% from one measurement to the next, with
 * V8's young generation; the median of three is steady.)
 */
async function plateau(seeds: number[]): Promise<{ rss: number; heapUsed: number; sent: number; unanswered: string[]; figures: string[] }> {
  const rss: number[] = []
  const heap: number[] = []
  const figures: string[] = []
  let sent = 0
  const unanswered: string[] = []
  for (const seed of seeds) {
    const result = await attack(seed)
    sent += result.sent
    unanswered.push(...result.unanswered)
    const m = await host.memory()
    rss.push(m.rss)
    heap.push(m.heapUsed)
    figures.push(show(m))
  }
  return { rss: median(rss), heapUsed: median(heap), sent, unanswered, figures }
}

describe('contract fuzzing over the WebSocket', () => {
  it('every request with an id is answered, and memory after a second round of attacks is within 20% of after the first', async () => {
    const start = await host.memory()
    const first = await plateau([1, 2, 3])
    expect(first.unanswered, 'unanswered in the first round').toEqual([])
    const second = await plateau([4, 5, 6])
    expect(second.unanswered, 'unanswered in the second round').toEqual([])
    console.log(
      `contract fuzz: ${first.sent + second.sent} requests, all answered; start ${show(start)}; after each attack: ${[...first.figures, ...second.figures].join('; ')}`
    )
    // The second round finds everything warm: growth over the first plateau is memory held.
    expect(second.rss).toBeLessThan(first.rss * 1.2)
    expect(second.heapUsed).toBeLessThan(first.heapUsed * 1.2)
    // And the first plateau is near the start (4 MB of `[` once took the host from 150 MB to 1 GB).
    expect(first.rss).toBeLessThan(start.rss * 1.5)
  }, 600_000)
})
