import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import QuickLRU from 'quick-lru'
import { DymError } from '../../../../shared/contract/errors'
import { PLAY_READ_MAX_BYTES } from '../../../../shared/contract/recording'
import type { FfmpegTools } from '../find-ffmpeg'
import type { ProbeStream } from '../probe'
import { lastErrorLine, runTool } from '../run-tool'

/** Files kept ready to play at once; an older one's id stops working (its player opens it again). */
const OPEN_PLAYS = 8

interface Play {
  file: string
  size: number
}

export interface OpenedPlay {
  playId: string
  sizeBytes: number
  mimeType: PlayMime
}

type PlayMime = 'video/webm' | 'video/mp4'

/**
 * What the app's player plays: a person's tracks of a recording (or the one picture of a
 * composed one) as a WebM of its own, made by copy (seconds, nothing re-encoded) into a cache
 * and kept there by the recording's name, size and time; the composed view of a tracks
 * recording is its "Export MP4". The page reads the file in pieces by an id it was given,
 * never by a path.
 */
export class PlayFiles {
  private readonly plays = new QuickLRU<string, Play>({ maxSize: OPEN_PLAYS })

  constructor(private readonly cacheDir: string) {}

  /** A person's video and voice (their camera first, then their screens), or every stream of a one-picture recording. */
  async openPerson(
    tools: FfmpegTools,
    file: string,
    fileKey: string,
    streams: readonly ProbeStream[],
    person: string | null
  ): Promise<OpenedPlay> {
    const mine = person === null ? streams : streams.filter((s) => s.person === person)
    const video = mine.filter((s) => s.kind === 'video').sort((a, b) => Number(a.role === 'screen') - Number(b.role === 'screen'))[0]
    const audio = mine.find((s) => s.kind === 'audio')
    if (!video && !audio)
      throw new DymError('not-found', person === null ? 'This recording has nothing to play' : 'Nobody by that id is in this recording')
    const picked = [video, audio].filter((s): s is ProbeStream => !!s)
    const cached = path.join(this.cacheDir, `${fileKey}-${picked.map((s) => s.index).join('_')}.webm`)
    if (!(await stat(cached).catch(() => null))) {
      await mkdir(this.cacheDir, { recursive: true })
      await this.trim(fileKey)
      const temp = `${cached}.${randomUUID().slice(0, 8)}.part`
      const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', file]
      for (const s of picked) args.push('-map', `0:${s.index}`)
      // Times kept as recorded: a late joiner's picture starts when they arrived.
      args.push('-c', 'copy', '-map_metadata', '-1', '-f', 'webm', '-y', temp)
      const done = await runTool(tools.ffmpeg, args, { timeoutMs: 10 * 60_000 })
      if (done.code !== 0) {
        await rm(temp, { force: true })
        throw new DymError('unavailable', `Cannot play this recording: ${lastErrorLine(done.stderr) || 'ffmpeg failed'}`)
      }
      await rename(temp, cached)
    }
    return this.remember(cached, 'video/webm')
  }

  /** A file of the recordings folder as it is (an MP4 export, for the composed view). */
  openFile(file: string, mimeType: PlayMime): Promise<OpenedPlay> {
    return this.remember(file, mimeType)
  }

  async read(playId: string, offset: number, length: number): Promise<Uint8Array> {
    const play = this.plays.get(playId)
    if (!play) throw new DymError('not-found', 'That player is closed; open the recording again')
    const want = Math.max(0, Math.min(length, PLAY_READ_MAX_BYTES, play.size - offset))
    if (want === 0) return new Uint8Array(0)
    const handle = await open(play.file, 'r')
    try {
      const buffer = new Uint8Array(want)
      const { bytesRead } = await handle.read(buffer, 0, want, offset)
      return buffer.subarray(0, bytesRead)
    } finally {
      await handle.close()
    }
  }

  /** Drop every cached file of a recording (it was renamed, deleted or replaced). */
  async forget(fileKey: string): Promise<void> {
    await this.trim(fileKey, true)
  }

  private async remember(file: string, mimeType: PlayMime): Promise<OpenedPlay> {
    const info = await stat(file)
    const playId = randomUUID()
    this.plays.set(playId, { file, size: info.size })
    return { playId, sizeBytes: info.size, mimeType }
  }

  /** Old versions of this recording's files go (its size or time changed); `all`: every one. */
  private async trim(fileKey: string, all = false): Promise<void> {
    const prefix = fileKey.replace(/-\d+-\d+$/, '-')
    const names = await readdir(this.cacheDir).catch(() => [] as string[])
    const stale = names.filter((n) => n.startsWith(prefix) && (all || !n.startsWith(`${fileKey}-`)))
    await Promise.all(stale.map((n) => rm(path.join(this.cacheDir, n), { force: true })))
  }
}
