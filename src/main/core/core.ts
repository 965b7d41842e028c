import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { DymError, events, type CoreStatus, type Envelope, type EventName, type EventOf, type HostKind } from '../../shared/contract/index'
import { validateRequest } from '../../shared/contract/validate'
import { createAppService } from './app/app-service'
import { joinTrace } from './join-trace'
import { createDesktopService, type DesktopService } from './desktop/desktop-service'
import { createIdentityService, type IdentityService } from './identity/identity-service'
import type { SecretCodec } from './identity/key-vault'
import type { LoginWindow } from './identity/login-window'
import { createLogger, type Logger } from './log'
import { createRecorderService, type RecorderOptions } from './recorder/recorder-service'
import { defaultRecordingsFolder } from './recorder/recordings-folder'
import { RoomService, type RoomServiceOptions } from './rooms/room-service'
import type { Caller, Handler, Handlers, Service, ServiceContext } from './service'
import { createSettingsService, type SettingsApi } from './settings/settings-service'
import { defaultDownloadsFolder } from './transfers/downloads-folder'
import { TransferService } from './transfers/transfer-service'

export interface CoreOptions {
  /** Where this instance keeps keys, settings, chat history. Several cores = several dirs. */
  dataDir: string
  hostKind: HostKind
  log?: Logger
  /** Electron: seals the device key with safeStorage. Absent: a mode-0600 file. */
  keyCodec?: SecretCodec
  /** Electron: the ThreeFold Connect login window. Absent: that way in is unavailable. */
  loginWindow?: LoginWindow
  /** recordings folder (the setting wins over it), ffmpeg setting, the OS actions of the host (open, show in folder, trash) */
  recorder?: Partial<Omit<RecorderOptions, 'folder'>> & { folder?: string }
  /** where files received in chat go (the setting wins over it; default: the OS downloads folder) */
  downloadsFolder?: string
  /** files in chat: timing overrides (tests) */
  files?: { stallMs?: number }
  /**
   * Meetings: network and timing overrides (tests, `dym serve --no-mdns`). The bootstrap and
   * relay lists come from settings; the identity is this core's identity service unless a
   * test brings its own.
   */
  rooms?: Partial<RoomServiceOptions>
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventOf<E>) => void

/**
 * The core: every service of the app behind one `invoke`. It never imports Electron, so the
 * Electron main process, the headless host and the tests all run this same object.
 */
export class Core {
  readonly dataDir: string
  readonly hostKind: HostKind
  readonly log: Logger
  /** What the Electron shell plugs into (invite links, screen picker, login window); idle in other hosts. */
  readonly desktop: DesktopService
  private readonly listeners = new Set<CoreEventListener>()
  private readonly services: Array<Pick<Service, 'name' | 'start' | 'stop'>> = []
  private handlers: Partial<Handlers> = {}
  private status: CoreStatus = { state: 'starting' }
  private readonly options: CoreOptions
  private settingsService: SettingsApi | null = null
  private readonly joinTrace = joinTrace
  private identityService: IdentityService | null = null
  /** The meetings service: its node restarts when the device key or network settings change. */
  rooms: RoomService | null = null

  constructor(options: CoreOptions) {
    this.options = options
    this.dataDir = path.resolve(options.dataDir)
    this.hostKind = options.hostKind
    this.log = options.log ?? createLogger('core')
    this.desktop = createDesktopService(this.context('desktop'))
  }

  /** Settings for other services: `current()`, `onChange(cb)`, `update(patch)`. After start(). */
  get settings(): SettingsApi {
    if (!this.settingsService) throw new Error('core not started')
    return this.settingsService
  }

  /** Identity for other services: the PeerIdentity the p2p layer uses, plus `onChange(cb)`. After start(). */
  get identity(): IdentityService {
    if (!this.identityService) throw new Error('core not started')
    return this.identityService
  }

  /** The context handed to each service: its data dir, a logger, and a checked emitter. */
  context(scope: string): ServiceContext {
    return { dataDir: this.dataDir, log: this.log.child(scope), emit: (e, p) => this.emit(e, p) }
  }

  async start(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const app = createAppService({ dataDir: this.dataDir, hostKind: this.hostKind, status: () => this.status })
    // Settings are loaded before any other service is built: the recorder's folder and the
    // node's bootstrap and relay lists are read from them right below.
    const settings = createSettingsService(this.context('settings'))
    await settings.start?.()
    const identity = createIdentityService({
      context: this.context('identity'),
      settings,
      ...(this.options.keyCodec ? { keyCodec: this.options.keyCodec } : {}),
      ...(this.options.loginWindow ? { loginWindow: this.options.loginWindow } : {})
    })
    this.settingsService = settings
    this.identityService = identity
    // The recordings folder: the user's setting (read at each use, so a change applies to the
    // next recording), else what the host chose, else the default.
    const hostFolder = this.options.recorder?.folder ?? defaultRecordingsFolder()
    const recorder = createRecorderService(this.context('recorder'), {
      ...(this.options.recorder ?? {}),
      identity,
      folder: () => settings.current().recordingsDir ?? hostFolder,
      defaultFolder: path.resolve(hostFolder)
    })
    // The host's network options (tests, `dym serve` flags) plus the user's bootstrap and relay lists.
    const hostNetwork = this.options.rooms?.network ?? {}
    const networkFromSettings = () => ({
      ...hostNetwork,
      bootstrap: [...(hostNetwork.bootstrap ?? []), ...settings.current().bootstrap],
      relays: [...(hostNetwork.relays ?? []), ...settings.current().relays]
    })
    const peerIdentity = this.options.rooms?.identity ?? identity
    // Files in chat: saved to the user's downloads folder setting, else the host's, else the OS's.
    const hostDownloads = this.options.downloadsFolder ?? defaultDownloadsFolder()
    const files = new TransferService(this.context('files'), {
      folder: () => settings.current().downloadsDir ?? hostDownloads,
      folderChosen: () => settings.current().downloadsDir != null,
      stallMs: this.options.files?.stallMs
    })
    const rooms = new RoomService(this.context('rooms'), {
      ...this.options.rooms,
      identity: peerIdentity,
      network: networkFromSettings(),
      files
    })
    files.attach(rooms)
    this.rooms = rooms
    // A new device key is a new libp2p identity; new bootstrap/relay lists a new network.
    identity.onChange(({ deviceKeyChanged }) => {
      if (deviceKeyChanged && peerIdentity === identity)
        void rooms.setIdentity(identity).catch((err: unknown) => this.log.error('restarting the p2p node failed', err))
    })
    // New lists restart the node. The same lists again start a node that is not running (it
    // failed to start, or was stopped): saving is how a person retries, never a silent no-op.
    let networkInUse = JSON.stringify(networkFromSettings())
    const restartNode = () =>
      rooms.setNetwork(networkFromSettings()).catch((err: unknown) => this.log.error('restarting the p2p node failed', err))
    settings.onChange(() => {
      const wanted = JSON.stringify(networkFromSettings())
      if (wanted !== networkInUse) {
        networkInUse = wanted
        void restartNode()
      } else void rooms.whenReady().catch(restartNode)
    })
    this.services.push(app, settings, identity, this.desktop, recorder, rooms, files)
    const handlers: Handlers = {
      ...app.handlers,
      ...settings.handlers,
      ...identity.handlers,
      ...this.desktop.handlers,
      ...recorder.handlers,
      ...rooms.handlers,
      ...files.handlers
    }
    this.handlers = handlers
    for (const service of this.services) if (service !== settings) await service.start?.()
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
      this.joinTrace?.request(valid.method, valid.request)
      const value = await handler(valid.request, caller)
      this.joinTrace?.answered(valid.method, valid.request)
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
    this.joinTrace?.event(event, parsed.data)
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

/** A method name for a log line, whatever the caller sent. */
function label(method: unknown): string {
  return typeof method === 'string' ? method.slice(0, 80) : `(${typeof method})`
}

export async function startCore(options: CoreOptions): Promise<Core> {
  const core = new Core(options)
  await core.start()
  return core
}
