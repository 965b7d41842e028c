import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../log'

/**
 * The sidecar of a recording in progress, in the app's data folder (not the recordings folder:
 * several app instances may share that one, and each must only ever repair its own files).
 * It exists from start to finalise; one left behind means the app or core died mid-recording,
 * and the next start finalises that file. It also carries the participants as they change,
 * which are merged into the file's metadata at the end.
 */
export const Marker = z.object({
  version: z.literal(1),
  recordingId: z.string().max(64),
  file: z.string().max(4096),
  title: z.string().max(200),
  startedAt: z.number().int(),
  ffmpegPid: z.number().int().positive().nullable(),
  /** absent in markers of older versions: composed */
  path: z.enum(['tracks', 'composed']).optional(),
  /** the tracks path: every track file opened so far */
  tracks: z
    .array(
      z.object({
        number: z.number().int().positive(),
        file: z.string().max(4096),
        kind: z.enum(['video', 'audio']),
        role: z.enum(['camera', 'screen']),
        personId: z.string().max(100),
        personName: z.string().max(64)
      })
    )
    .max(64)
    .optional(),
  /** everyone who has been in the recording, in order of arrival, with when (ms since start) */
  roster: z
    .array(
      z.object({
        id: z.string().max(100),
        name: z.string().max(64),
        joinedAtMs: z.number().int().nonnegative(),
        leftAtMs: z.number().int().nonnegative().nullable()
      })
    )
    .max(500)
})
export type Marker = z.infer<typeof Marker>

const MAX_MARKER_BYTES = 256 * 1024

export class MarkerStore {
  constructor(
    private readonly dir: string,
    private readonly log: Logger
  ) {}

  private fileOf(recordingId: string): string {
    return path.join(this.dir, `${recordingId}.json`)
  }

  private writes: Promise<unknown> = Promise.resolve()

  /**
   * Written to a temporary name and renamed, so a kill mid-write never leaves half a marker; one
   * write after the other (several tracks open at once), each with the marker as it was when asked.
   */
  write(marker: Marker): Promise<void> {
    const text = JSON.stringify(marker)
    const run = this.writes.then(async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 })
      const target = this.fileOf(marker.recordingId)
      const temp = `${target}.tmp`
      await writeFile(temp, text, { mode: 0o600 })
      await rename(temp, target)
    })
    this.writes = run.catch(() => undefined)
    return run
  }

  async remove(recordingId: string): Promise<void> {
    await rm(this.fileOf(recordingId), { force: true })
  }

  /** Every valid marker left behind; unreadable ones are logged and removed. */
  async readAll(): Promise<Marker[]> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch {
      return []
    }
    const markers: Marker[] = []
    for (const name of names) {
      const file = path.join(this.dir, name)
      if (name.endsWith('.tmp')) {
        await rm(file, { force: true })
        continue
      }
      if (!name.endsWith('.json')) continue
      try {
        const text = await readFile(file, 'utf8')
        if (text.length > MAX_MARKER_BYTES) throw new Error('too large')
        markers.push(Marker.parse(JSON.parse(text)))
      } catch (err) {
        this.log.warn(`dropping unreadable recording marker ${name}`, err)
        await rm(file, { force: true })
      }
    }
    return markers
  }
}

/** Distinct names of everyone in the roster, in order of arrival. */
export function rosterNames(roster: Marker['roster']): string[] {
  return [...new Set(roster.map((r) => r.name))]
}
