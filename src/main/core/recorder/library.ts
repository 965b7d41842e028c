import { createHash } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { RecordingEntry } from '../../../shared/contract/recording'
import type { Logger } from '../log'
import type { FfmpegTools } from './find-ffmpeg'
import { readMetadata } from './metadata'
import { probeFile, type ProbeResult } from './probe'
import { runTool } from './run-tool'
import { thumbnailMoment } from './thumbnail-moment'

const CachedProbe = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  probe: z
    .object({
      durationSec: z.number().nullable(),
      width: z.number().nullable(),
      height: z.number().nullable(),
      hasVideo: z.boolean(),
      hasAudio: z.boolean(),
      streams: z
        .array(
          z.object({
            index: z.number().int(),
            kind: z.enum(['video', 'audio']),
            title: z.string().max(100),
            person: z.string().max(100).optional(),
            role: z.enum(['camera', 'screen']).optional(),
            width: z.number().int().optional(),
            height: z.number().int().optional()
          })
        )
        .max(256)
        .default([]),
      tags: z.record(z.string().max(100), z.string().max(20_000))
    })
    .nullable()
})
const ProbeCacheFile = z.record(z.string().max(255), CachedProbe)
const MAX_CACHE_ENTRIES = 10_000

/**
 * The recordings folder as a list: every .mkv with its duration, size, participants (from the
 * file's own metadata) and a thumbnail. Probing costs a process per file, so results are cached
 * by (name, size, mtime) in the data folder, and so are thumbnails.
 */
export class RecordingsLibrary {
  private cache = new Map<string, z.infer<typeof CachedProbe>>()
  private cacheLoaded = false
  private readonly cacheFile: string
  private readonly thumbDir: string

  constructor(
    /** read on every use: the folder is a setting, and can change while the app runs */
    private readonly folderNow: () => string,
    stateDir: string,
    private readonly log: Logger
  ) {
    this.cacheFile = path.join(stateDir, 'probe-cache.json')
    this.thumbDir = path.join(stateDir, 'thumbnails')
  }

  get folder(): string {
    return this.folderNow()
  }

  /** Every recording, newest first. `active` names files being written now (not probed). */
  async list(tools: FfmpegTools | null, active: ReadonlySet<string>): Promise<RecordingEntry[]> {
    let names: string[]
    try {
      names = await readdir(this.folder)
    } catch {
      return []
    }
    const mkvs = names.filter((n) => n.endsWith('.mkv') && !n.startsWith('.'))
    // Plain files only: a symbolic link in the folder could point anywhere on the disk.
    const entries: RecordingEntry[] = []
    // Two at a time: a first listing of a big folder probes every file.
    for (let i = 0; i < mkvs.length; i += 2) {
      const batch = await Promise.all(mkvs.slice(i, i + 2).map((n) => this.entry(tools, n, names, active.has(n)).catch(() => null)))
      for (const e of batch) if (e) entries.push(e)
    }
    await this.saveCache(new Set(mkvs))
    return entries.sort((a, b) => b.startedAt - a.startedAt)
  }

  async entry(tools: FfmpegTools | null, name: string, folderNames?: string[], recording = false): Promise<RecordingEntry> {
    const file = path.join(this.folder, name)
    const info = await lstat(file)
    if (!info.isFile()) throw new Error(`${name} is not a plain file`)
    const probe = recording || !tools ? null : await this.probe(tools, name, info.size, info.mtimeMs)
    const meta = readMetadata(probe?.tags ?? {})
    const base = name.slice(0, -'.mkv'.length)
    const siblings = folderNames ?? (await readdir(this.folder))
    const exportPattern = new RegExp(`^${escapeRegExp(base)}(( \\(\\d+\\))?\\.mp4| - .+\\.webm)$`)
    return {
      name,
      title: meta.title ?? base,
      startedAt: Math.round(meta.startedAt ?? info.birthtimeMs ?? info.mtimeMs),
      durationSec: probe?.durationSec ?? null,
      sizeBytes: info.size,
      participants: meta.participants ?? [],
      width: probe?.width ?? null,
      height: probe?.height ?? null,
      hasAudio: probe?.hasAudio ?? false,
      status: recording ? 'recording' : !probe ? 'unreadable' : meta.recovered ? 'recovered' : 'ready',
      path: meta.path ?? null,
      tracks: (probe?.streams ?? []).slice(0, 200).map(({ index, kind, title, person, role }) => ({
        index,
        kind,
        title,
        ...(person ? { person } : {}),
        ...(role ? { role } : {})
      })),
      exports: siblings.filter((n) => exportPattern.test(n)).slice(0, 20)
    }
  }

  async probe(tools: FfmpegTools, name: string, size: number, mtimeMs: number): Promise<ProbeResult | null> {
    await this.loadCache()
    const cached = this.cache.get(name)
    if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.probe
    const probe = await probeFile(tools, path.join(this.folder, name))
    this.cache.set(name, { size, mtimeMs, probe })
    return probe
  }

  /** What ffprobe says of a recording of the folder (cached), or null when it cannot read it. */
  async probeFile(tools: FfmpegTools, name: string): Promise<ProbeResult | null> {
    const info = await lstat(path.join(this.folder, name))
    return info.isFile() ? this.probe(tools, name, info.size, info.mtimeMs) : null
  }

  /** A 320-pixel-wide JPEG of a moment with something to see (thumbnail-moment.ts), cached. */
  async thumbnail(tools: FfmpegTools, name: string): Promise<Uint8Array | null> {
    const file = path.join(this.folder, name)
    const info = await lstat(file)
    if (!info.isFile()) return null
    const thumb = path.join(this.thumbDir, `${nameKey(name)}-${info.size}-${Math.round(info.mtimeMs)}.jpg`)
    try {
      return new Uint8Array(await readFile(thumb))
    } catch {
      // not cached yet
    }
    const probe = await this.probe(tools, name, info.size, info.mtimeMs)
    if (!probe?.hasVideo) return null
    const at = await thumbnailMoment(tools.ffmpeg, file, probe.durationSec)
    await this.forgetThumbnails(name)
    await mkdir(this.thumbDir, { recursive: true })
    const temp = `${thumb}.tmp`
    const result = await runTool(
      tools.ffmpeg,
      [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-ss',
        at.toFixed(2),
        '-i',
        file,
        '-map',
        '0:v:0',
        '-frames:v',
        '1',
        '-vf',
        'scale=320:-2',
        '-q:v',
        '5',
        '-f',
        'image2',
        '-c:v',
        'mjpeg',
        '-y',
        temp
      ],
      { timeoutMs: 20_000 }
    )
    if (result.code !== 0) {
      this.log.warn(`no thumbnail for ${name}: ${result.stderr.slice(-200)}`)
      await rm(temp, { force: true })
      return null
    }
    await rename(temp, thumb)
    return new Uint8Array(await readFile(thumb))
  }

  /** Drop what is cached about a name (it was renamed or deleted). */
  async forget(name: string): Promise<void> {
    this.cache.delete(name)
    await this.forgetThumbnails(name)
  }

  private async forgetThumbnails(name: string): Promise<void> {
    const key = nameKey(name)
    const names = await readdir(this.thumbDir).catch(() => [] as string[])
    await Promise.all(names.filter((n) => n.startsWith(`${key}-`)).map((n) => rm(path.join(this.thumbDir, n), { force: true })))
  }

  private async loadCache(): Promise<void> {
    if (this.cacheLoaded) return
    this.cacheLoaded = true
    try {
      const text = await readFile(this.cacheFile, 'utf8')
      const parsed = ProbeCacheFile.safeParse(JSON.parse(text))
      if (parsed.success) this.cache = new Map(Object.entries(parsed.data))
      else this.log.warn('ignoring an invalid recordings probe cache')
    } catch {
      // no cache yet
    }
  }

  private async saveCache(present: Set<string>): Promise<void> {
    for (const name of this.cache.keys()) if (!present.has(name)) this.cache.delete(name)
    const entries = [...this.cache.entries()].slice(-MAX_CACHE_ENTRIES)
    try {
      await mkdir(path.dirname(this.cacheFile), { recursive: true })
      await writeFile(`${this.cacheFile}.tmp`, JSON.stringify(Object.fromEntries(entries)))
      await rename(`${this.cacheFile}.tmp`, this.cacheFile)
    } catch (err) {
      this.log.warn('could not save the recordings probe cache', err)
    }
  }
}

/** A recording's name as a short key for cache files. */
export const nameKey = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 24)
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
