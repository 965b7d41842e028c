import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startCore, type Core } from '../../src/main/core/core'
import type { PeerCheck, PeerIdentity } from '../../src/main/core/identity/peer-identity'
import { createLogger } from '../../src/main/core/log'
import type { NetworkOptions } from '../../src/main/core/p2p/node'
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../src/shared/contract/index'

/** A core with a guest identity on loopback, driven through its contract: what the bench joins with. */
/** Guests only: the bench measures the network path, not 3Bot verification. */
export function benchIdentity(name: string): PeerIdentity {
  const seed = new Uint8Array(randomBytes(32))
  return {
    deviceKeySeed: async () => seed,
    presentation: async () => ({ displayName: name }),
    verifyPeer: async (p: unknown, key: Uint8Array, peerId: string): Promise<PeerCheck> => {
      const displayName = (p as { displayName?: unknown })?.displayName
      if (typeof displayName !== 'string') return { ok: false, reason: 'no name' }
      return { ok: true, person: { peerId, displayName, verification: 'guest', fingerprint: Buffer.from(key.slice(0, 8)).toString('hex') } }
    }
  }
}

export const NETWORK: NetworkOptions = { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: 'off' }
const quiet = createLogger('bench', () => undefined)

export interface BenchCore {
  core: Core
  dir: string
  invoke<M extends MethodName>(method: M, req: RequestOf<M>): Promise<ResponseOf<M>>
  next<E extends EventName>(event: E, match: (p: EventOf<E>) => boolean): Promise<EventOf<E>>
}

export async function benchCore(name: string): Promise<BenchCore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-bench-'))
  const core = await startCore({
    dataDir: dir,
    hostKind: 'headless',
    log: quiet,
    rooms: { identity: benchIdentity(name), network: NETWORK }
  })
  await core.rooms!.whenReady()
  const waiters = new Set<(event: EventName, payload: unknown) => void>()
  core.onEvent((event, payload) => {
    for (const w of [...waiters]) w(event, payload)
  })
  return {
    core,
    dir,
    async invoke(method, req) {
      const env = await core.invoke(method, req, { id: 'bench' })
      if (!env.ok) throw new Error(`${method}: ${env.error.message}`)
      return env.value as never
    },
    next(event, match) {
      return new Promise((resolve) => {
        const w = (e: EventName, p: unknown) => {
          if (e === event && match(p as never)) {
            waiters.delete(w)
            resolve(p as never)
          }
        }
        waiters.add(w)
      })
    }
  }
}

export async function stopCore(c: BenchCore): Promise<void> {
  await c.core.stop()
  rmSync(c.dir, { recursive: true, force: true })
}

/** Samples taken in turns (ours, baseline, ours, ...) after `warmup` of each, so a busy moment hits both alike. */
export async function inTurns(count: number, warmup: number, ours: (i: number) => Promise<number>, base: (i: number) => Promise<number>) {
  const result = { ours: [] as number[], base: [] as number[] }
  for (let i = 0; i < warmup + count; i++) {
    const a = await ours(i)
    const b = await base(i)
    if (i >= warmup) {
      result.ours.push(a)
      result.base.push(b)
    }
  }
  return result
}
