import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { EventName, EventOf, MethodName, RequestOf, ResponseOf } from '../../src/shared/contract/index'
import { validateRequest } from '../../src/shared/contract/validate'
import { memoryLogger } from '../../src/main/core/log'
import { createRecorderService, type RecorderOptions, type RecorderService } from '../../src/main/core/recorder/recorder-service'
import type { Handler } from '../../src/main/core/service'

export interface RecordedEvent {
  event: EventName
  payload: unknown
}

/**
 * The recorder service on its own, with a temporary data dir and recordings folder, requests
 * validated by the real contract (so defaults apply as in the app) and every event kept.
 */
export class RecorderUnderTest {
  readonly root = mkdtempSync(path.join(os.tmpdir(), 'dym-rec-'))
  readonly dataDir = path.join(this.root, 'data')
  readonly events: RecordedEvent[] = []
  readonly log = memoryLogger()
  readonly service: RecorderService
  readonly folder: string

  constructor(options: Partial<Omit<RecorderOptions, 'folder'>> & { folder?: string; dataDir?: string } = {}) {
    this.folder = options.folder ?? path.join(this.root, 'recordings')
    const dataDir = options.dataDir ?? this.dataDir
    this.service = createRecorderService(
      { dataDir, log: this.log, emit: (event, payload) => this.events.push({ event, payload }) },
      {
        desktop: {
          openPath: () => Promise.reject(new Error('no desktop in tests')),
          showInFolder: () => Promise.reject(new Error('no desktop in tests'))
        },
        ...options,
        folder: this.folder
      }
    )
  }

  async start(): Promise<this> {
    await this.service.start?.()
    return this
  }

  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    const valid = validateRequest(method, request)
    const handler = (this.service.handlers as Record<string, Handler<M>>)[method]
    if (!handler) throw new Error(`the recorder has no handler for ${method}`)
    return (await handler(valid.request as never, { id: 'test' })) as ResponseOf<M>
  }

  eventsOf<E extends EventName>(event: E): Array<EventOf<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as EventOf<E>)
  }

  /** Resolves with the first event matching, waiting for it up to `timeoutMs`. */
  async waitForEvent<E extends EventName>(event: E, match: (p: EventOf<E>) => boolean, timeoutMs = 20_000): Promise<EventOf<E>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.eventsOf(event).find(match)
      if (found) return found
      if (Date.now() > deadline)
        throw new Error(
          `no ${event} event matched within ${timeoutMs} ms; saw ${JSON.stringify(this.eventsOf(event)).slice(0, 800)}\n${this.log.lines.join('\n')}`
        )
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async close(): Promise<void> {
    await this.service.stop?.()
    rmSync(this.root, { recursive: true, force: true })
  }
}
