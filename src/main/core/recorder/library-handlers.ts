import { rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type { Emit, Handler } from '../service'
import { removeRecordingFile, type DesktopActions } from './desktop-actions'
import type { Exporter } from './exporter'
import { insideFolder, reserveUniqueFile, splitDatePrefix, titleSlug } from './file-names'
import type { FfmpegTools } from './find-ffmpeg'
import type { RecordingsLibrary } from './library'

type LibraryMethod =
  | 'recording.list'
  | 'recording.thumbnail'
  | 'recording.export'
  | 'recording.export-cancel'
  | 'recording.rename'
  | 'recording.delete'
  | 'recording.open'
  | 'recording.reveal'

export interface LibraryDeps {
  /** the recordings folder now (a setting, read on every use) */
  folder: () => string
  library: RecordingsLibrary
  exporter: Exporter
  desktop: DesktopActions
  emit: Emit
  requireTools: () => Promise<FfmpegTools>
  toolsOrNull: () => Promise<FfmpegTools | null>
  /** the file being recorded now, which none of these may touch */
  activeName: () => string | null
  /** settles when the recovery of interrupted recordings is done */
  recovery: () => Promise<unknown>
}

/** The recordings folder's side of the recorder: list, thumbnail, export, rename, delete, open. */
export function createLibraryHandlers(deps: LibraryDeps): { [M in LibraryMethod]: Handler<M> } {
  const { library, exporter, desktop, emit, requireTools, toolsOrNull } = deps
  const fileOf = (name: string): string => {
    const file = insideFolder(deps.folder(), name)
    if (!file) throw new DymError('bad-request', 'Not a recording of this folder')
    return file
  }
  const refuseIfActive = (name: string) => {
    if (deps.activeName() === name) throw new DymError('conflict', 'This recording is still running')
  }
  const active = () => {
    const name = deps.activeName()
    return new Set(name ? [name] : [])
  }

  return {
    'recording.list': async () => {
      await deps.recovery()
      return { folder: deps.folder(), recordings: await library.list(await toolsOrNull(), active()) }
    },
    'recording.thumbnail': async (req) => {
      fileOf(req.name)
      if (deps.activeName() === req.name) return null
      const jpeg = await library.thumbnail(await requireTools(), req.name).catch(() => null)
      return jpeg ? { jpeg } : null
    },
    'recording.export': async (req) => {
      refuseIfActive(req.name)
      const t = await requireTools()
      const file = fileOf(req.name)
      const entry = await library.entry(t, req.name).catch(() => {
        throw new DymError('not-found', 'That recording is not in the folder any more')
      })
      return { exportId: exporter.start(t, file, req.name, entry.durationSec) }
    },
    'recording.export-cancel': (req) => {
      exporter.cancel(req.exportId)
      return { ok: true as const }
    },
    'recording.rename': async (req) => {
      refuseIfActive(req.name)
      const from = fileOf(req.name)
      const { prefix } = splitDatePrefix(path.basename(req.name, '.mkv'))
      const newName = `${prefix}${titleSlug(req.newTitle)}.mkv`
      if (newName === req.name) return library.entry(await toolsOrNull(), req.name)
      fileOf(newName) // the new name must stay inside the folder too
      // A hard rename would overwrite silently; reserve the new name first.
      const folder = path.dirname(from)
      const reserved = await reserveUniqueFile(folder, newName.slice(0, -4), '.mkv')
      try {
        await rename(from, path.join(folder, reserved))
      } catch (err) {
        await rm(path.join(folder, reserved), { force: true })
        throw new DymError(
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'unavailable',
          `Could not rename: ${(err as Error).message}`
        )
      }
      await library.forget(req.name)
      emit('recording.list-changed', { reason: 'renamed' })
      return library.entry(await toolsOrNull(), reserved)
    },
    'recording.delete': async (req) => {
      refuseIfActive(req.name)
      const file = fileOf(req.name)
      let result: { trashed: boolean }
      try {
        result = await removeRecordingFile(desktop, file)
      } catch (err) {
        throw new DymError(
          (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'unavailable',
          `Could not delete: ${(err as Error).message}`
        )
      }
      await library.forget(req.name)
      emit('recording.list-changed', { reason: 'deleted' })
      return result
    },
    'recording.open': async (req) => openWith((f) => desktop.openPath(f), fileOf(req.name)),
    'recording.reveal': async (req) => openWith((f) => desktop.showInFolder(f), fileOf(req.name))
  }
}

async function openWith(action: (file: string) => Promise<void>, file: string) {
  try {
    await action(file)
    return { opened: true, path: file }
  } catch (err) {
    return { opened: false, path: file, message: (err instanceof Error ? err.message : String(err)).slice(0, 300) }
  }
}
