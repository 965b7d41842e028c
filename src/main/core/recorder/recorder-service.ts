import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type {
  FfmpegStatus,
  RecordingEntry,
  RecordingParticipant,
  RecordingState,
  recordingMethods
} from '../../../shared/contract/recording'
import type { Service, ServiceContext } from '../service'
import { createHeadlessDesktopActions, type DesktopActions } from './desktop-actions'
import { Exporter } from './exporter'
import { recordingBaseName, reserveUniqueFile } from './file-names'
import { FfmpegNotFoundError, findFfmpeg, type FfmpegTools } from './find-ffmpeg'
import { RecordingsLibrary } from './library'
import { createLibraryHandlers } from './library-handlers'
import { describeFfmpegFailure, LiveRecording, type ExitInfo } from './live-recording'
import { MarkerStore, rosterNames, type Marker } from './markers'
import { ensureWritableFolder } from './recordings-folder'
import { recoverInterrupted, removeStaleTempFiles } from './recovery'
import { remuxInPlace } from './remux'

export type RecordingMethodName = keyof typeof recordingMethods

export interface RecorderOptions {
  /** the recordings folder (a setting, so it may be read again for each use; see defaultRecordingsFolder) */
  folder: string | (() => string)
  /** the user's ffmpeg setting, if any (DYM_FFMPEG is read too) */
  ffmpegPath?: string | null
  desktop?: DesktopActions
  /** a recording that receives nothing for this long is stopped and kept (the renderer went away) */
  idleTimeoutMs?: number
  /** for tests: where to look for ffmpeg instead of the real search */
  findTools?: () => Promise<FfmpegTools>
}

interface Active {
  id: string
  name: string
  live: LiveRecording
  marker: Marker
  phase: RecordingState['phase']
  error?: string
  idleTimer: NodeJS.Timeout | null
  lastStateEmit: number
  /** who was in it at the start (already in the file's metadata) */
  initialNames: string[]
  /** the one finalisation, whoever starts it (stop, a failure, the idle timer, shutdown) */
  finished: Promise<RecordingEntry> | null
}

export type RecorderService = Service<RecordingMethodName> & {
  /** settles when interrupted recordings from a previous run have been finished */
  readonly recovery: Promise<unknown>
}

/**
 * The recorder in the core: starts one ffmpeg per recording, feeds it the renderer's chunks,
 * finalises, recovers interrupted files, lists, exports, renames and deletes recordings.
 */
export function createRecorderService(ctx: ServiceContext, options: RecorderOptions): RecorderService {
  const folderSetting = options.folder
  // A recording stays in the folder it started in while it runs and is finished, whatever the setting says meanwhile.
  let pinned: { by: Active; dir: string } | null = null
  const folder = () => pinned?.dir ?? path.resolve(typeof folderSetting === 'function' ? folderSetting() : folderSetting)
  const stateDir = path.join(ctx.dataDir, 'recorder')
  const markers = new MarkerStore(path.join(stateDir, 'active'), ctx.log)
  const library = new RecordingsLibrary(folder, stateDir, ctx.log)
  const desktop = options.desktop ?? createHeadlessDesktopActions()
  const exporter = new Exporter((p) => {
    ctx.emit('recording.export-progress', p)
    if (p.state === 'done') ctx.emit('recording.list-changed', { reason: 'exported' })
  }, ctx.log)
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000
  let active: Active | null = null
  // The last one that ended, so a stop that comes after a failure still gets its entry.
  let ended: Active | null = null
  let toolsPromise: Promise<FfmpegTools> | null = null
  let recovery: Promise<unknown> = Promise.resolve()

  /** Found once; a failure is not remembered, so installing ffmpeg works without a restart. */
  const tools = (): Promise<FfmpegTools> => {
    toolsPromise ??= (options.findTools ?? (() => findFfmpeg({ setting: options.ffmpegPath })))()
    toolsPromise.catch(() => (toolsPromise = null))
    return toolsPromise
  }
  const toolsOrNull = () => tools().catch(() => null)
  const requireTools = async (): Promise<FfmpegTools> => {
    try {
      return await tools()
    } catch (err) {
      throw new DymError('unavailable', err instanceof FfmpegNotFoundError ? err.message : `ffmpeg could not be checked: ${String(err)}`)
    }
  }

  const stateOf = (a: Active): RecordingState => ({
    recordingId: a.id,
    name: a.name,
    title: a.marker.title,
    phase: a.phase,
    startedAt: a.marker.startedAt,
    bytesReceived: a.live.bytesReceived,
    participants: rosterNames(a.marker.roster),
    ...(a.error ? { error: a.error } : {})
  })
  const emitState = (a: Active) => {
    a.lastStateEmit = Date.now()
    ctx.emit('recording.state', stateOf(a))
  }

  const activeById = (id: string): Active => {
    if (active?.id === id) return active
    if (ended?.id === id) return ended
    throw new DymError('not-found', 'No such recording is running')
  }
  const armIdleTimer = (a: Active) => {
    if (a.idleTimer) clearTimeout(a.idleTimer)
    a.idleTimer = setTimeout(() => {
      ctx.log.warn(`recording ${a.name}: nothing arrived for ${idleTimeoutMs} ms, stopping it`)
      void finish(a, 'Nothing arrived from the app for a while, so the recording was stopped and saved.')
    }, idleTimeoutMs)
    a.idleTimer.unref()
  }

  /**
   * Ends a recording: ffmpeg finishes the file, the participants who joined later are merged
   * into its metadata, the marker goes. `failure` set = it ended because something broke.
   */
  const finish = (a: Active, failure?: string): Promise<RecordingEntry> => {
    a.finished ??= (async () => {
      if (a.idleTimer) clearTimeout(a.idleTimer)
      a.phase = 'finalising'
      if (failure) a.error = failure
      emitState(a)
      const exit = await a.live.stop()
      const t = await toolsOrNull()
      // Without a trailer (ffmpeg killed or failed) or with new participants, rewrite by copy.
      const cleanExit = exit.code === 0
      const joinedLater = rosterNames(a.marker.roster).length > a.initialNames.length
      if (t && (!cleanExit || joinedLater)) {
        const merged = await remuxInPlace(t, a.live.file, {
          title: a.marker.title,
          startedAt: a.marker.startedAt,
          participants: rosterNames(a.marker.roster)
        })
        if (!merged.ok) ctx.log.warn(`kept ${a.name} without the final metadata: ${merged.reason}`)
      }
      if (!cleanExit && !a.error) a.error = describeFfmpegFailure(exit)
      a.phase = a.error ? 'failed' : 'stopped'
      await markers.remove(a.id)
      if (active === a) active = null
      ended = a
      emitState(a)
      ctx.emit('recording.list-changed', { reason: a.error ? 'recording-failed' : 'recording-stopped' })
      return library.entry(t, a.name)
    })().finally(() => {
      if (pinned?.by === a) pinned = null
    })
    return a.finished
  }

  const onUnexpectedExit = (a: Active) => (exit: ExitInfo) => {
    const message = describeFfmpegFailure(exit)
    ctx.log.warn(`ffmpeg for ${a.name} exited mid-recording: ${exit.stderr.slice(-300)}`)
    void finish(a, message)
  }

  const saveRoster = (a: Active, people: RecordingParticipant[]) => {
    const now = Date.now() - a.marker.startedAt
    const present = new Set(people.map((p) => p.id))
    for (const r of a.marker.roster) if (r.leftAtMs === null && !present.has(r.id)) r.leftAtMs = now
    for (const p of people) {
      const here = a.marker.roster.find((r) => r.id === p.id && r.leftAtMs === null)
      if (!here && a.marker.roster.length < 500) a.marker.roster.push({ id: p.id, name: p.name, joinedAtMs: now, leftAtMs: null })
    }
  }

  return {
    name: 'recorder',
    get recovery() {
      return recovery
    },
    async start() {
      // Runs in the background: the app is usable at once, recording.list waits for it.
      recovery = (async () => {
        const finished = await recoverInterrupted(markers, toolsOrNull, ctx.log)
        await removeStaleTempFiles(folder(), ctx.log)
        if (finished.length > 0) ctx.emit('recording.list-changed', { reason: 'recovered' })
      })().catch((err: unknown) => ctx.log.warn('recovering interrupted recordings failed', err))
    },
    async stop() {
      exporter.cancelAll()
      if (active) await finish(active, undefined).catch((err: unknown) => ctx.log.warn('finishing the recording at shutdown failed', err))
    },
    handlers: {
      'recording.info': async () => {
        let ffmpeg: FfmpegStatus
        try {
          const t = await tools()
          ffmpeg = {
            available: true,
            path: t.ffmpeg,
            version: t.version,
            source: t.source,
            canExport: t.canExport,
            hasFfprobe: t.ffprobe !== null
          }
        } catch (err) {
          ffmpeg = { available: false, problem: (err instanceof Error ? err.message : String(err)).slice(0, 2000) }
        }
        return { folder: folder(), ffmpeg, active: active ? stateOf(active) : null }
      },
      'recording.start': async (req) => {
        if (active) throw new DymError('conflict', 'A recording is already running')
        const t = await requireTools()
        const dir = folder()
        await ensureWritableFolder(dir)
        const startedAt = Date.now()
        const title = req.title || 'Meeting'
        const name = await reserveUniqueFile(dir, recordingBaseName(new Date(startedAt), title), '.mkv')
        const id = randomUUID()
        const marker: Marker = {
          version: 1,
          recordingId: id,
          file: path.join(dir, name),
          title,
          startedAt,
          ffmpegPid: null,
          roster: dedupe(req.participants).map((p) => ({ id: p.id, name: p.name, joinedAtMs: 0, leftAtMs: null }))
        }
        const initialNames = rosterNames(marker.roster)
        const live = new LiveRecording(t, marker.file, { title, startedAt, participants: initialNames }, (exit) =>
          onUnexpectedExit(a)(exit)
        )
        const a: Active = { id, name, marker, live, initialNames, phase: 'recording', idleTimer: null, lastStateEmit: 0, finished: null }
        try {
          await a.live.start()
        } catch (err) {
          await rm(marker.file, { force: true })
          throw new DymError('unavailable', `ffmpeg could not be started: ${err instanceof Error ? err.message : String(err)}`)
        }
        marker.ffmpegPid = a.live.pid
        pinned = { by: a, dir }
        await markers.write(marker)
        active = a
        armIdleTimer(a)
        ctx.log.info(`recording ${name} (ffmpeg ${t.version} from ${t.source})`)
        emitState(a)
        return stateOf(a)
      },
      'recording.chunk': async (req) => {
        const a = activeById(req.recordingId)
        if (a.phase !== 'recording') throw new DymError('unavailable', a.error ?? 'This recording has stopped')
        armIdleTimer(a)
        const accepted = await a.live.push(req.seq, req.bytes)
        if (Date.now() - a.lastStateEmit > 2000) emitState(a)
        return accepted
      },
      'recording.participants': async (req) => {
        const a = activeById(req.recordingId)
        saveRoster(a, dedupe(req.participants))
        await markers.write(a.marker)
        emitState(a)
        return { ok: true as const }
      },
      'recording.stop': (req) => finish(activeById(req.recordingId)),
      ...createLibraryHandlers({
        folder,
        library,
        exporter,
        desktop,
        emit: ctx.emit,
        requireTools,
        toolsOrNull,
        activeName: () => active?.name ?? null,
        recovery: () => recovery
      })
    }
  }
}

/** One entry per participant id (the last name wins). */
function dedupe(people: RecordingParticipant[]): RecordingParticipant[] {
  return [...new Map(people.map((p) => [p.id, p])).values()]
}
