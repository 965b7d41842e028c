import { randomUUID } from 'node:crypto'
import { DymError, MAX_SCREEN_SOURCES, type ScreenSource } from '../../../shared/contract/index'
import type { Emit } from '../service'

export interface ScreenChoice {
  sourceId: string
  /** System audio too; only ever true when the request offered it. */
  audio: boolean
}

interface Pending {
  offered: Set<string>
  audioAvailable: boolean
  resolve: (choice: ScreenChoice | null) => void
  timer: NodeJS.Timeout
}

export interface ScreenPickBrokerOptions {
  emit: Emit
  /** How long the picker may stay open before the request is cancelled. */
  timeoutMs?: number
}

export const SCREEN_PICK_TIMEOUT_MS = 120_000

/**
 * The renderer half of the desktop screen picker, without Electron: the shell hands over the
 * sources it listed, the broker asks the renderer (`screen.pick-request`) and resolves with
 * the user's choice (`screen.pick`), or null when they cancel, the request times out, or a
 * newer request replaces it. Only sources that were offered can be chosen.
 */
export class ScreenPickBroker {
  private readonly pending = new Map<string, Pending>()
  private readonly timeoutMs: number

  constructor(private readonly options: ScreenPickBrokerOptions) {
    this.timeoutMs = options.timeoutMs ?? SCREEN_PICK_TIMEOUT_MS
  }

  request(sources: readonly ScreenSource[], audioAvailable: boolean): Promise<ScreenChoice | null> {
    // One picker at a time: a new getDisplayMedia call replaces an unanswered one.
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, null, true)
    const offered = sources.slice(0, MAX_SCREEN_SOURCES)
    const requestId = randomUUID()
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(requestId, null, true), this.timeoutMs)
      timer.unref?.()
      this.pending.set(requestId, { offered: new Set(offered.map((s) => s.id)), audioAvailable, resolve, timer })
      this.options.emit('screen.pick-request', { requestId, sources: offered, audioAvailable })
    })
  }

  /** The renderer's answer. Unknown requests and sources that were not offered are refused. */
  answer(requestId: string, sourceId: string | null, audio: boolean): void {
    const pending = this.pending.get(requestId)
    if (!pending) throw new DymError('not-found', 'This screen share request is no longer open')
    if (sourceId !== null && !pending.offered.has(sourceId)) throw new DymError('bad-request', 'That screen or window was not offered')
    this.settle(requestId, sourceId === null ? null : { sourceId, audio: audio && pending.audioAvailable }, false)
  }

  /** Cancel everything open (the core is stopping). */
  cancelAll(): void {
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, null, true)
  }

  get openRequests(): number {
    return this.pending.size
  }

  private settle(requestId: string, choice: ScreenChoice | null, tellRenderer: boolean): void {
    const pending = this.pending.get(requestId)
    if (!pending) return
    this.pending.delete(requestId)
    clearTimeout(pending.timer)
    if (tellRenderer) this.options.emit('screen.pick-cancelled', { requestId })
    pending.resolve(choice)
  }
}
