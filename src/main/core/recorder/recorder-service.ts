import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
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
import { Exporter } from './export/exporter'
import { recordingBaseName, reserveUniqueFile } from './file-names'
import { FfmpegNotFoundError, findFfmpeg, type FfmpegTools } from './find-ffmpeg'
import { RecordingsLibrary } from './library'
import { PlayFiles } from './player/play-files'
import { createConsentHandlers, openConsent, type ConsentIdentity } from './consent/consent-handlers'
import { journalConsent } from './consent/consent-journal'
import type { ConsentSession } from './consent/consent-log'
import { createLibraryHandlers } from './library-handlers'
import { describeFfmpegFailure, type ExitInfo } from './live-recording'
import { MarkerStore, rosterNames, type Marker } from './markers'
import { ComposedSink, TracksSink, type RecordingSink } from './recording-sinks'
import { ensureWritableFolder } from './recordings-folder'
import { recoverInterrupted, removeStaleTempFiles } from './recovery'

export type RecordingMethodName = keyof typeof recordingMethods
type StartRequest = z.infer<(typeof recordingMethods)['recording.start']['request']>

export interface RecorderOptions {
  /** the recordings folder (a setting, so it may be read again for each use; see defaultRecordingsFolder) */
  folder: string | (() => string)
  /** the folder used when the user has not chosen one */
  defaultFolder?: string
  /** the user's ffmpeg setting, if any (DYM_FFMPEG is read too) */
  ffmpegPath?: string | null
  desktop?: DesktopActions
  /** a recording that receives nothing for this long is stopped and kept (the renderer went away) */
  idleTimeoutMs?: number
  /** for tests: where to look for ffmpeg instead of the real search */
  findTools?: () => Promise<FfmpegTools>
  /** who we are, to sign consent (a tracks recording asks every member, and answers for us) */
  identity?: ConsentIdentity
}

interface Active {
  id: string
  name: string
  sink: RecordingSink
  marker: Marker
  phase: RecordingState['phase']
  error?: string
  idleTimer: NodeJS.Timeout | null
  lastStateEmit: number
  /** the one finalisation, whoever starts it (stop, a failure, the idle timer, shutdown) */
  finished: Promise<RecordingEntry | null> | null
  /** a tracks recording's consent: who answered what, signed into the file at the end */
  consent: ConsentSession | null
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
  const player = new PlayFiles(path.join(stateDir, 'play'))
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
    path: a.sink.path,
    startedAt: a.marker.startedAt,
    bytesReceived: a.sink.bytesReceived,
    participants: rosterNames(a.marker.roster),
    ...(a.error ? { error: a.error } : {}),
    ...(a.consent ? { consent: { id: a.consent.id, recorder: a.consent.recorder } } : {})
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
   * Ends a recording: its sink makes the file final with everyone who was there in its metadata,
   * the marker goes (unless the parts are kept to be finished on the next start). `failure` set
   * = it ended because something broke.
   */
  const finish = (a: Active, failure?: string): Promise<RecordingEntry | null> => {
    a.finished ??= (async () => {
      if (a.idleTimer) clearTimeout(a.idleTimer)
      a.phase = 'finalising'
      if (failure) a.error = failure
      emitState(a)
      const t = await toolsOrNull()
      const consent = a.consent
      const end = await a.sink.finish(
        t,
        { title: a.marker.title, startedAt: a.marker.startedAt, participants: rosterNames(a.marker.roster) },
        consent ? { keeps: (id) => consent.agreed(id), seal: (tracks) => consent.seal(a.marker.title, tracks) } : undefined
      )
      if (end.failure && !a.error) a.error = end.failure
      a.phase = a.error ? 'failed' : 'stopped'
      if (!end.retryLater) await markers.remove(a.id)
      if (active === a) active = null
      ended = a
      emitState(a)
      ctx.emit('recording.list-changed', { reason: a.error ? 'recording-failed' : 'recording-stopped' })
      return end.empty ? null : library.entry(t, a.name)
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

  /** Reserves the file, writes the marker and starts the sink; nothing is left behind when that fails. */
  const open = async (t: FfmpegTools, req: StartRequest, folder: string): Promise<Active> => {
    const startedAt = Date.now()
    const title = req.title || 'Meeting'
    const name = await reserveUniqueFile(folder, recordingBaseName(new Date(startedAt), title), '.mkv')
    const id = randomUUID()
    const marker: Marker = {
      version: 1,
      recordingId: id,
      file: path.join(folder, name),
      title,
      startedAt,
      ffmpegPid: null,
      path: req.path,
      roster: dedupe(req.participants).map((p) => ({ id: p.id, name: p.name, joinedAtMs: 0, leftAtMs: null }))
    }
    const sink: RecordingSink =
      req.path === 'tracks'
        ? new TracksSink(marker.file, ctx.log)
        : new ComposedSink(t, marker, (exit) => onUnexpectedExit(a)(exit), ctx.log)
    const consent = req.path === 'tracks' ? await openConsent(options.identity) : null
    const a: Active = { id, name, marker, sink, phase: 'recording', idleTimer: null, lastStateEmit: 0, finished: null, consent }
    try {
      await sink.start()
      if (consent && sink instanceof TracksSink) journalConsent(consent, sink.tracks.workDir)
      marker.ffmpegPid = sink.pid
      await markers.write(marker)
    } catch (err) {
      await rm(marker.file, { force: true })
      if (sink instanceof TracksSink) await sink.tracks.removeWorkDir()
      const why = err instanceof Error ? err.message : String(err)
      throw new DymError(
        'unavailable',
        req.path === 'tracks' ? `The recording could not be started: ${why}` : `ffmpeg could not be started: ${why}`
      )
    }
    return a
  }

  return {
    name: 'recorder',
    get recovery() {
      return recovery
    },
    async start() {
      // Looked for now, in the background: on a busy machine the search (a few ffmpeg runs) took
      // seconds, which a first recording then waited for.
      void toolsOrNull()
      // Runs in the background: the app is usable at once, recording.list waits for it.
      recovery = (async () => {
        const finished = await recoverInterrupted(markers, toolsOrNull, ctx.log, options.identity?.deviceKeySeed.bind(options.identity))
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
        return {
          folder: folder(),
          ...(options.defaultFolder ? { defaultFolder: options.defaultFolder } : {}),
          ffmpeg,
          active: active ? stateOf(active) : null
        }
      },
      'recording.start': async (req) => {
        if (active) throw new DymError('conflict', 'A recording is already running')
        const t = await requireTools()
        const dir = folder()
        await ensureWritableFolder(dir)
        const a = await open(t, req, dir)
        active = a
        pinned = { by: a, dir }
        armIdleTimer(a)
        ctx.log.info(`recording ${a.name} (${a.sink.path}; ffmpeg ${t.version} from ${t.source})`)
        emitState(a)
        return stateOf(a)
      },
      'recording.track': async (req) => {
        const a = activeById(req.recordingId)
        if (!(a.sink instanceof TracksSink)) throw new DymError('bad-request', 'This recording takes chunks, not tracks')
        if (a.phase !== 'recording') throw new DymError('unavailable', a.error ?? 'This recording has stopped')
        if (a.consent?.refused(req.personId)) throw new DymError('denied', `${req.personName} refused to be recorded`)
        const info = a.sink.tracks.openTrack(req)
        a.marker.tracks = a.sink.tracks.tracks
        await markers.write(a.marker)
        return { track: info.number }
      },
      'recording.frames': async (req) => {
        const a = activeById(req.recordingId)
        if (!(a.sink instanceof TracksSink)) throw new DymError('bad-request', 'This recording takes chunks, not frames')
        if (a.phase !== 'recording') throw new DymError('unavailable', a.error ?? 'This recording has stopped')
        armIdleTimer(a)
        const accepted = await a.sink.tracks.push(req.seq, req.bytes)
        if (Date.now() - a.lastStateEmit > 2000) emitState(a)
        return accepted
      },
      'recording.chunk': async (req) => {
        const a = activeById(req.recordingId)
        if (a.phase !== 'recording') throw new DymError('unavailable', a.error ?? 'This recording has stopped')
        armIdleTimer(a)
        if (!(a.sink instanceof ComposedSink)) throw new DymError('bad-request', 'This recording takes frames, not chunks')
        const accepted = await a.sink.live.push(req.seq, req.bytes)
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
      'recording.stop': async (req) => {
        const a = activeById(req.recordingId)
        const entry = await finish(a)
        // Nothing ever arrived: there is no file (not an empty one), so no entry either.
        if (!entry) throw new DymError('not-found', a.error ?? 'Nothing was recorded')
        return entry
      },
      ...createConsentHandlers({ identity: options.identity, consentOf: (id) => activeById(id).consent }),
      ...createLibraryHandlers({
        folder,
        library,
        exporter,
        player,
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
