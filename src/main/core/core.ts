import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { DymError, events, roomMethods, type CoreStatus, type Envelope, type EventName, type EventOf, type HostKind, type MethodName } from '../../shared/contract/index'
import { validateRequest } from '../../shared/contract/validate'
import { createAppService } from './app/app-service'
import { createLogger, type Logger } from './log'
import { RoomService, type RoomServiceOptions } from './rooms/room-service'
import type { Caller, Handler, Handlers, Service, ServiceContext } from './service'

export interface CoreOptions {
  /** Where this instance keeps keys, settings, chat history. Several cores = several dirs. */
  dataDir: string
  hostKind: HostKind
  log?: Logger
  /**
   * Meetings: the identity peers see and the network settings. Without it the room methods
   * answer `unavailable` (until identity and settings are wired in, that is every host).
   */
  rooms?: RoomServiceOptions
}

const roomMethodNames = Object.keys(roomMethods) as Array<keyof typeof roomMethods>

export type CoreEventListener = <E extends EventName>(event: E, payload: EventOf<E>) => void

/**
 * The core: every service of the app behind one `invoke`. It never imports Electron, so the
 * Electron main process, the headless host and the tests all run this same object.
 */
export class Core {
  readonly dataDir: string
  readonly hostKind: HostKind
  readonly log: Logger
  private readonly listeners = new Set<CoreEventListener>()
  private readonly services: Array<Pick<Service, 'name' | 'start' | 'stop'>> = []
  private handlers: Partial<Handlers> = {}
  private status: CoreStatus = { state: 'starting' }
  /** The meetings service, when this core has one: `setIdentity` / `setNetwork` restart its node. */
  rooms: RoomService | null = null
  private readonly roomOptions?: RoomServiceOptions

  constructor(options: CoreOptions) {
    this.dataDir = path.resolve(options.dataDir)
    this.hostKind = options.hostKind
    this.log = options.log ?? createLogger('core')
    this.roomOptions = options.rooms
  }

  /** The context handed to each service: its data dir, a logger, and a checked emitter. */
  context(scope: string): ServiceContext {
    return { dataDir: this.dataDir, log: this.log.child(scope), emit: (e, p) => this.emit(e, p) }
  }

  async start(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const app = createAppService({ dataDir: this.dataDir, hostKind: this.hostKind, status: () => this.status })
    this.services.push(app)
    let roomHandlers: Pick<Handlers, (typeof roomMethodNames)[number]> = unavailable(roomMethodNames, 'meetings need an identity (sign in first)')
    if (this.roomOptions) {
      this.rooms = new RoomService(this.context('rooms'), this.roomOptions)
      this.services.push(this.rooms)
      roomHandlers = this.rooms.handlers
    }
    const handlers: Handlers = { ...app.handlers, ...roomHandlers }
    this.handlers = handlers
    for (const service of this.services) await service.start?.()
    this.setStatus({ state: 'ready' })
    this.log.info(`core ready (${this.hostKind}) data dir ${this.dataDir}`)
  }

  async stop(): Promise<void> {
    this.setStatus({ state: 'stopping' })
    for (const service of [...this.services].reverse()) {
      try {
        await service.stop?.()
      } catch (err) {
        this.log.warn(`stopping ${service.name} failed`, err)
      }
    }
    this.listeners.clear()
  }

  /**
   * Validate and run one request. Never throws: a bad request, an unknown method or a failing
   * handler all come back as an error envelope, and the core keeps serving.
   */
  async invoke(method: unknown, payload: unknown, caller: Caller): Promise<Envelope<unknown>> {
    try {
      const valid = validateRequest(method, payload)
      const handler = this.handlers[valid.method] as Handler<typeof valid.method> | undefined
      if (!handler) throw new DymError('unavailable', `${valid.method} is not available yet`)
      const value = await handler(valid.request, caller)
      return { ok: true, value }
    } catch (err) {
      if (err instanceof DymError) {
        if (err.code === 'internal') this.log.error(`${label(method)} failed`, err)
        else this.log.debug(`${label(method)} refused: ${err.message}`)
        return { ok: false, error: err.toShape() }
      }
      this.log.error(`${label(method)} crashed`, err)
      return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : 'Internal error' } }
    }
  }

  onEvent(listener: CoreEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Events are checked against the contract too: a malformed one is a bug, logged and dropped. */
  emit<E extends EventName>(event: E, payload: EventOf<E>): void {
    const parsed = events[event].safeParse(payload)
    if (!parsed.success) {
      this.log.error(`dropped malformed event ${event}`, parsed.error.issues[0])
      return
    }
    for (const listener of this.listeners) {
      try {
        listener(event, parsed.data as EventOf<E>)
      } catch (err) {
        this.log.warn(`event listener for ${event} threw`, err)
      }
    }
  }

  private setStatus(status: CoreStatus): void {
    this.status = status
    this.emit('core.status', status)
  }
}

/** Handlers for methods whose service is not built yet: a clear error, never a crash. */
function unavailable<M extends MethodName>(names: readonly M[], why: string): { [K in M]: Handler<K> } {
  const entries = names.map((name) => [name, () => Promise.reject(new DymError('unavailable', `${name}: ${why}`))])
  return Object.fromEntries(entries) as { [K in M]: Handler<K> }
}

/** A method name for a log line, whatever the caller sent. */
function label(method: unknown): string {
  return typeof method === 'string' ? method.slice(0, 80) : `(${typeof method})`
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const core = new Core(options)
  await core.start()
  return core
}
