import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type { FfmpegStatus, recordingMethods } from '../../../shared/contract/recording'
import type { Service, ServiceContext } from '../service'
import { createConsentHandlers, type ConsentIdentity } from './consent/consent-handlers'
import { createHeadlessDesktopActions, type DesktopActions } from './desktop-actions'
import { Exporter } from './export/exporter'
import { FfmpegNotFoundError, findFfmpeg, type FfmpegTools } from './find-ffmpeg'
import { RecordingsLibrary } from './library'
import { createLibraryHandlers } from './library-handlers'
import { MarkerStore } from './markers'
import { PlayFiles } from './player/play-files'
import { createRecordingHandlers } from './recording-handlers'
import { RecordingLifecycle } from './recording-lifecycle'
import { recoverInterrupted, removeStaleTempFiles } from './recovery'

export type RecordingMethodName = keyof typeof recordingMethods

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
  const stateDir = path.join(ctx.dataDir, 'recorder')
  const markers = new MarkerStore(path.join(stateDir, 'active'), ctx.log)
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
  const folder = (): string => lifecycle.pinnedFolder ?? path.resolve(typeof folderSetting === 'function' ? folderSetting() : folderSetting)
  const library = new RecordingsLibrary(folder, stateDir, ctx.log)
  const lifecycle = new RecordingLifecycle({
    emit: ctx.emit,
    log: ctx.log,
    markers,
    library,
    toolsOrNull,
    identity: options.identity,
    idleTimeoutMs: options.idleTimeoutMs ?? 30_000
  })
  const exporter = new Exporter((p) => {
    ctx.emit('recording.export-progress', p)
    if (p.state === 'done') ctx.emit('recording.list-changed', { reason: 'exported' })
  }, ctx.log)

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
      const active = lifecycle.active
      if (active) await lifecycle.finish(active).catch((err: unknown) => ctx.log.warn('finishing the recording at shutdown failed', err))
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
          active: lifecycle.active ? lifecycle.stateOf(lifecycle.active) : null
        }
      },
      ...createRecordingHandlers({ lifecycle, markers, folder, requireTools, log: ctx.log }),
      ...createConsentHandlers({ identity: options.identity, consentOf: (id) => lifecycle.byId(id).consent }),
      ...createLibraryHandlers({
        folder,
        library,
        exporter,
        player: new PlayFiles(path.join(stateDir, 'play')),
        desktop: options.desktop ?? createHeadlessDesktopActions(),
        emit: ctx.emit,
        requireTools,
        toolsOrNull,
        activeName: () => lifecycle.active?.name ?? null,
        recovery: () => recovery
      })
    }
  }
}
