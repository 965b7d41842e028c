import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../../shared/contract/errors'
import { FrameBatchError, unpackFrames } from '../../../../shared/recording-frames'
import type { Logger } from '../../log'
import { TrackFile, type TrackCodec } from './track-file'
import type { TrackInfo } from './merge-tracks'

/** Tracks one recording may have: 3 per person (camera, mic, screen) for a full mesh and then some. */
export const MAX_TRACKS = 64
/** Batches that may wait to be written at once; a page that sends faster than that is refused. */
export const MAX_WAITING_BATCHES = 8

type Accepted = { seq: number; bytesReceived: number; writtenMs: number; dropped: number }

export interface NewTrack {
  personId: string
  personName: string
  role: 'camera' | 'screen'
  kind: 'video' | 'audio'
  codec: TrackCodec
}

/**
 * The tracks path of a recording while it runs: every person's camera, microphone and screen
 * as their own track file in a hidden work folder next to the recording, fed with the batches
 * of encoded frames the page sends (`recording.frames`), in order, each batch checked whole
 * before any of it is written. What to do with the files at the end is the service's
 * (merge-tracks.ts).
 */
export class TrackRecording {
  private readonly files = new Map<number, { info: TrackInfo; file: TrackFile }>()
  private nextSeq = 0
  private waiting = 0
  private tail: Promise<unknown> = Promise.resolve()
  private stopping = false
  bytesReceived = 0
  /** the latest frame time on disk, ms on the meeting clock */
  writtenMs = 0

  constructor(
    readonly workDir: string,
    private readonly log: Logger
  ) {}

  async start(): Promise<void> {
    await mkdir(this.workDir, { recursive: false, mode: 0o700 })
  }

  /** Every track opened so far (for the marker, so a crash can still be finished). */
  get tracks(): TrackInfo[] {
    return [...this.files.values()].map((t) => t.info)
  }

  openTrack(track: NewTrack): TrackInfo {
    if (this.stopping) throw new DymError('conflict', 'This recording is stopping')
    if (this.files.size >= MAX_TRACKS) throw new DymError('conflict', `A recording has at most ${MAX_TRACKS} tracks`)
    const number = this.files.size + 1
    const info: TrackInfo = {
      number,
      file: path.join(this.workDir, `${number}-${track.kind}.mkv`),
      kind: track.kind,
      role: track.role,
      personId: track.personId,
      personName: track.personName
    }
    this.files.set(number, { info, file: new TrackFile(info.file, track.codec) })
    return info
  }

  /** One batch (see recording-frames.ts). seq starts at 0 without gaps; a repeated seq is ignored. */
  push(seq: number, bytes: Uint8Array): Promise<Accepted> {
    if (this.stopping) return Promise.reject(new DymError('conflict', 'This recording is stopping; no more frames'))
    if (this.waiting >= MAX_WAITING_BATCHES)
      return Promise.reject(
        new DymError('conflict', `More than ${MAX_WAITING_BATCHES} batches in flight: send the next when the last is accepted`)
      )
    this.waiting++
    const run = this.tail.then(async () => {
      try {
        return await this.write(seq, bytes)
      } finally {
        this.waiting--
      }
    })
    this.tail = run.catch(() => undefined)
    return run
  }

  private async write(seq: number, bytes: Uint8Array): Promise<Accepted> {
    if (seq < this.nextSeq) return { seq, bytesReceived: this.bytesReceived, writtenMs: this.writtenMs, dropped: 0 } // a resend after a reconnect
    if (seq > this.nextSeq)
      throw new DymError('bad-request', `Batch ${seq} arrived but ${this.nextSeq} is next: batches must come in order`)
    let frames
    try {
      frames = unpackFrames(bytes)
    } catch (err) {
      if (err instanceof FrameBatchError) throw new DymError('bad-request', `Not a batch of frames: ${err.message}`)
      throw err
    }
    const unknown = frames.find((f) => !this.files.has(f.track))
    if (unknown) throw new DymError('bad-request', `Frames for track ${unknown.track}, which was never opened`)
    this.nextSeq++
    let dropped = 0
    let latestMs = this.writtenMs
    const touched = new Set<TrackFile>()
    for (const frame of frames) {
      const track = this.files.get(frame.track)
      if (!track || !(await track.file.add(frame))) dropped++
      else {
        touched.add(track.file)
        latestMs = Math.max(latestMs, Math.floor(frame.timeUs / 1000))
      }
    }
    // The batch is accepted once it is on disk.
    await Promise.all([...touched].map((file) => file.flush()))
    this.writtenMs = latestMs
    if (dropped > 0) this.log.warn(`recording: dropped ${dropped} of ${frames.length} frames that failed the checks`)
    this.bytesReceived += bytes.byteLength
    return { seq, bytesReceived: this.bytesReceived, writtenMs: this.writtenMs, dropped }
  }

  /** Writes what was accepted and closes every track file; answers the tracks that have frames. */
  async stop(): Promise<TrackInfo[]> {
    this.stopping = true
    await this.tail
    await Promise.all([...this.files.values()].map((t) => t.file.close()))
    return [...this.files.values()].filter((t) => t.file.hasFrames).map((t) => t.info)
  }

  /** The work folder goes once its tracks are in the recording. */
  async removeWorkDir(): Promise<void> {
    await rm(this.workDir, { recursive: true, force: true })
  }

  /** Per track: frames written and dropped (for the logs and the tests). */
  stats(): Array<{ number: number; frames: number; dropped: number }> {
    return [...this.files.values()].map((t) => ({ number: t.info.number, frames: t.file.frames, dropped: t.file.dropped }))
  }
}
