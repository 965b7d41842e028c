import { lstat, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type { Emit, Handler } from '../service'
import { removeRecordingFile, type DesktopActions } from './desktop-actions'
import type { Exporter } from './export/exporter'
import { insideFolder, reserveUniqueFile, splitDatePrefix, titleSlug } from './file-names'
import type { FfmpegTools } from './find-ffmpeg'
import { nameKey, type RecordingsLibrary } from './library'
import type { PlayFiles } from './player/play-files'

type LibraryMethod =
  | 'recording.list'
  | 'recording.thumbnail'
  | 'recording.export'
  | 'recording.export-cancel'
  | 'recording.play-open'
  | 'recording.play-read'
  | 'recording.rename'
  | 'recording.delete'
  | 'recording.open'
  | 'recording.reveal'

export interface LibraryDeps {
  /** the recordings folder now (a setting, read on every use) */
  folder: () => string
  library: RecordingsLibrary
  exporter: Exporter
  player: PlayFiles
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
  const { library, exporter, player, desktop, emit, requireTools, toolsOrNull } = deps
  /**
   * A name from the renderer as a file of the folder: inside it, and a plain file (a symbolic
   * link could point anywhere on the disk, and ffmpeg would read it for a thumbnail).
   */
  const fileOf = async (name: string): Promise<string> => {
    const file = insideFolder(deps.folder(), name)
    if (!file) throw new DymError('bad-request', 'Not a recording of this folder')
    const info = await lstat(file).catch(() => null)
    if (!info) throw new DymError('not-found', 'That recording is not in the folder any more')
    if (!info.isFile()) throw new DymError('bad-request', 'Not a recording of this folder')
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
      await fileOf(req.name)
      if (deps.activeName() === req.name) return null
      const jpeg = await library.thumbnail(await requireTools(), req.name).catch(() => null)
      return jpeg ? { jpeg } : null
    },
    'recording.export': async (req) => {
      refuseIfActive(req.name)
      const t = await requireTools()
      const file = await fileOf(req.name)
      const probe = await library.probeFile(t, req.name).catch(() => null)
      if (!probe) throw new DymError('not-found', 'That recording cannot be read')
      const exportId = exporter.start(t, { kind: req.kind, file, name: req.name, durationSec: probe.durationSec, streams: probe.streams })
      return { exportId }
    },
    'recording.export-cancel': (req) => {
      exporter.cancel(req.exportId)
      return { ok: true as const }
    },
    'recording.play-open': async (req) => {
      refuseIfActive(req.name)
      const t = await requireTools()
      const file = await fileOf(req.name)
      const info = await lstat(file)
      const probe = await library.probeFile(t, req.name).catch(() => null)
      if (!probe) throw new DymError('not-found', 'That recording cannot be read')
      const key = `${nameKey(req.name)}-${info.size}-${Math.round(info.mtimeMs)}`
      const perPerson = probe.streams.some((s) => s.person)
      if (req.person !== null || !perPerson) return player.openPerson(t, file, key, probe.streams, req.person)
      // Everyone together, from a tracks recording: its grid export, made by "Export MP4".
      const entry = await library.entry(t, req.name)
      const mp4 = entry.exports.find((n) => n.endsWith('.mp4'))
      if (!mp4) throw new DymError('not-found', 'Export MP4 first to watch everyone together')
      return player.openFile(await fileOf(mp4), 'video/mp4')
    },
    'recording.play-read': async (req) => ({ bytes: await player.read(req.playId, req.offset, req.length) }),
    'recording.rename': async (req) => {
      refuseIfActive(req.name)
      const from = await fileOf(req.name)
      const { prefix } = splitDatePrefix(path.basename(req.name, '.mkv'))
      const newName = `${prefix}${titleSlug(req.newTitle)}.mkv`
      if (newName === req.name) return library.entry(await toolsOrNull(), req.name)
      const folder = path.dirname(from)
      if (!insideFolder(folder, newName)) throw new DymError('bad-request', 'That name cannot be used for a recording')
      // A hard rename would overwrite silently; reserve the new name first. Errors are told
      // without paths: the renderer never learns where on the disk things are from an error.
      let reserved: string | null = null
      try {
        reserved = await reserveUniqueFile(folder, newName.slice(0, -4), '.mkv')
        await rename(from, path.join(folder, reserved))
      } catch (err) {
        if (reserved) await rm(path.join(folder, reserved), { force: true })
        throw fileError('Could not rename', err)
      }
      await library.forget(req.name)
      await player.forget(nameKey(req.name))
      emit('recording.list-changed', { reason: 'renamed' })
      return library.entry(await toolsOrNull(), reserved)
    },
    'recording.delete': async (req) => {
      refuseIfActive(req.name)
      const file = await fileOf(req.name)
      let result: { trashed: boolean }
      try {
        result = await removeRecordingFile(desktop, file)
      } catch (err) {
        throw fileError('Could not delete', err)
      }
      await library.forget(req.name)
      await player.forget(nameKey(req.name))
      emit('recording.list-changed', { reason: 'deleted' })
      return result
    },
    'recording.open': async (req) => openWith((f) => desktop.openPath(f), await fileOf(req.name)),
    'recording.reveal': async (req) => openWith((f) => desktop.showInFolder(f), await fileOf(req.name))
  }
}

/** A file system error in words, by its code: the message of Node's error names absolute paths. */
function fileError(what: string, err: unknown): DymError {
  const code = (err as NodeJS.ErrnoException).code
  const why: Record<string, string> = {
    ENOENT: 'the recording is not in the folder any more',
    EACCES: 'the recordings folder is not writable',
    EPERM: 'the recordings folder is not writable',
    EROFS: 'the recordings folder is on a read-only disk',
    ENOSPC: 'the disk is full',
    ENAMETOOLONG: 'the name is too long',
    EBUSY: 'the file is in use'
  }
  return new DymError(code === 'ENOENT' ? 'not-found' : 'unavailable', `${what}: ${(code && why[code]) ?? 'the file system refused'}`)
}

async function openWith(action: (file: string) => Promise<void>, file: string) {
  try {
    await action(file)
    return { opened: true, path: file }
  } catch (err) {
    return { opened: false, path: file, message: (err instanceof Error ? err.message : String(err)).slice(0, 300) }
  }
}
