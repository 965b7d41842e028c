import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startCore, type Core } from '../../src/main/core/core'
import { createLogger, memoryLogger } from '../../src/main/core/log'
import type { NetworkOptions } from '../../src/main/core/p2p/node'
import type { RoomServiceOptions } from '../../src/main/core/rooms/room-service'
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../src/shared/contract/index'
import { DymError } from '../../src/shared/contract/index'
import type { TestIdentity } from './test-identity'

/** Loopback only, no mDNS (other test runs on this machine would find us), no DHT, no WebRTC: fast and private. */
export const LOOPBACK: NetworkOptions = { listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, dht: 'off' }

/** Faster timings for tests: still well inside the bounds. */
export const FAST_TUNING: RoomServiceOptions['tuning'] = { joinDeadlineMs: 8_000, membersWaitMs: 4_000, reconnectGraceMs: 3_000 }

export interface TestMember {
  readonly core: Core
  readonly dir: string
  readonly identity: TestIdentity
  readonly events: Array<{ event: EventName; payload: unknown; at: number }>
  invoke<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>>
  /** Resolves with the first event (past or future; from index `since` of `events`) that matches. */
  waitFor<E extends EventName>(event: E, match?: (payload: EventOf<E>) => boolean, timeoutMs?: number, since?: number): Promise<EventOf<E>>
  peerId(): string
  stop(): Promise<void>
}

export interface StartMemberOptions extends Partial<Omit<RoomServiceOptions, 'identity'>> {
  identity: TestIdentity
  dir?: string
  /** where received files go (default: Downloads inside the member's temp dir) */
  downloadsFolder?: string
  fileTimings?: { stallMs?: number }
}

const caller = { id: 'test' }

export async function startMember(options: StartMemberOptions): Promise<TestMember> {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'dym-room-'))
  const log = process.env.DYM_TEST_LOG ? createLogger('test') : memoryLogger()
  const core = await startCore({
    dataDir: dir,
    hostKind: 'headless',
    log,
    downloadsFolder: options.downloadsFolder ?? path.join(dir, 'Downloads'),
    ...(options.fileTimings ? { files: options.fileTimings } : {}),
    rooms: {
      identity: options.identity,
      network: options.network ?? LOOPBACK,
      tuning: { ...FAST_TUNING, ...options.tuning },
      protocols: options.protocols
    }
  })
  await core.rooms!.whenReady()
  const events: TestMember['events'] = []
  const waiters = new Set<() => void>()
  core.onEvent((event, payload) => {
    events.push({ event, payload, at: Date.now() })
    for (const w of [...waiters]) w()
  })
  return {
    core,
    dir,
    identity: options.identity,
    events,
    async invoke(method, request) {
      const env = await core.invoke(method, request, caller)
      if (!env.ok) throw new DymError(env.error.code, env.error.message)
      return env.value as never
    },
    waitFor(event, match = () => true, timeoutMs = 10_000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.find((e, i) => i >= since && e.event === event && match(e.payload as never))
          if (!hit) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(hit.payload as never)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(
              `no ${event} matching within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-5)).slice(0, 1500)}\n${'lines' in log ? (log.lines as string[]).slice(-15).join('\n') : ''}`
            )
          )
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
    peerId: () => core.rooms?.libp2p?.peerId.toString() ?? '',
    async stop() {
      await core.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
