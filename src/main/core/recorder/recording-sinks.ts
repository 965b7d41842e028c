import { rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { RecordingPath } from '../../../shared/contract/recording'
import type { Logger } from '../log'
import type { FfmpegTools } from './find-ffmpeg'
import { describeFfmpegFailure, LiveRecording, type ExitInfo } from './live-recording'
import { rosterNames, type Marker } from './markers'
import { type RecordingMetadata } from './metadata'
import { remuxInPlace } from './remux'
import { consentAttachment, type ConsentSeal } from './consent/consent-attachment'
import { mergeTracks, type TrackInfo } from './tracks/merge-tracks'
import { TrackRecording } from './tracks/track-recording'

/** How a recording ended, once its file is final. */
export interface SinkEnd {
  /** why it failed, in words for the user (the file keeps what was recorded until then) */
  failure?: string
  /** the recording has no file at all (nothing ever arrived): its reservation was removed */
  empty?: boolean
  /** the parts are kept: finishing them is tried again on the next start (the marker stays) */
  retryLater?: boolean
}

/** Where a running recording's media goes: one ffmpeg (composed) or a file per track (tracks). */
export interface RecordingSink {
  readonly path: RecordingPath
  readonly bytesReceived: number
  /** the ffmpeg writing the file now, if one does (the marker names it, for the recovery) */
  readonly pid: number | null
  start(): Promise<void>
  /** Ends the input and makes the file final (duration, index, everyone who was there). */
  finish(tools: FfmpegTools | null, meta: RecordingMetadata, consent?: ConsentSeal): Promise<SinkEnd>
}

/** Where a recording keeps its track files while it runs: hidden, next to the file it becomes. */
export function workDirOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file, '.mkv')}.tracks`)
}

/** The composed path: the renderer's WebM slices through one ffmpeg (live-recording.ts). */
export class ComposedSink implements RecordingSink {
  readonly path = 'composed'
  readonly live: LiveRecording

  constructor(
    tools: FfmpegTools,
    private readonly marker: Marker,
    onUnexpectedExit: (exit: ExitInfo) => void,
    private readonly log: Logger
  ) {
    this.live = new LiveRecording(
      tools,
      marker.file,
      { title: marker.title, startedAt: marker.startedAt, participants: rosterNames(marker.roster), path: 'composed' },
      onUnexpectedExit
    )
  }

  get bytesReceived(): number {
    return this.live.bytesReceived
  }

  get pid(): number | null {
    return this.live.pid
  }

  start(): Promise<void> {
    return this.live.start()
  }

  async finish(tools: FfmpegTools | null, meta: RecordingMetadata): Promise<SinkEnd> {
    const exit = await this.live.stop()
    const cleanExit = exit.code === 0
    // Without a trailer (ffmpeg killed or failed) or with people who came later, rewrite by copy.
    const joinedLater = meta.participants.length > rosterNames(this.marker.roster.filter((r) => r.joinedAtMs === 0)).length
    if (tools && (!cleanExit || joinedLater)) {
      const merged = await remuxInPlace(tools, this.marker.file, meta)
      if (!merged.ok) this.log.warn(`kept ${this.marker.file} without the final metadata: ${merged.reason}`)
    }
    // Nothing ever reached ffmpeg (it failed at once, or no chunk came): no file, not an empty one.
    const size = await stat(this.marker.file).then(
      (s) => s.size,
      () => 0
    )
    if (size === 0) {
      await rm(this.marker.file, { force: true })
      return { empty: true, failure: cleanExit ? 'Nothing was recorded.' : describeFfmpegFailure(exit) }
    }
    return cleanExit ? {} : { failure: describeFfmpegFailure(exit) }
  }
}

/** The tracks path: the page's encoded frames, a file per track, merged at the end. */
export class TracksSink implements RecordingSink {
  readonly path = 'tracks'
  readonly pid = null
  readonly tracks: TrackRecording

  constructor(
    private readonly file: string,
    private readonly log: Logger
  ) {
    this.tracks = new TrackRecording(workDirOf(file), log)
  }

  get bytesReceived(): number {
    return this.tracks.bytesReceived
  }

  start(): Promise<void> {
    return this.tracks.start()
  }

  async finish(tools: FfmpegTools | null, meta: RecordingMetadata, consent?: ConsentSeal): Promise<SinkEnd> {
    const recorded = await this.tracks.stop()
    this.log.info(
      `tracks of ${path.basename(this.file)}: ${this.tracks
        .stats()
        .map((t) => `#${t.number} ${t.frames} frames, ${t.dropped} dropped`)
        .join('; ')}`
    )
    if (!consent) return finishTracks(tools, this.file, this.tracks.workDir, recorded, meta, this.log)
    // Only who agreed is in the file: not who refused (whatever arrived of them before they
    // said so), nor who never answered.
    const kept = recorded.filter((t) => consent.keeps(t.personId))
    return finishTracks(tools, this.file, this.tracks.workDir, kept, meta, this.log, consent.seal)
  }
}

/**
 * Track files into the recording (stop, and the recovery after a crash). The work folder goes
 * once they are in it; a recording with no frame at all leaves no file (not an empty one).
 */
export async function finishTracks(
  tools: FfmpegTools | null,
  file: string,
  workDir: string,
  recorded: Parameters<typeof mergeTracks>[2]['tracks'],
  meta: RecordingMetadata,
  log: Logger,
  /** signs the consent log, which goes into the file as it is merged */
  seal?: ConsentSeal['seal']
): Promise<SinkEnd> {
  if (recorded.length === 0) {
    await rm(file, { force: true })
    await rm(workDir, { recursive: true, force: true })
    return { empty: true, failure: 'Nothing was recorded.' }
  }
  if (!tools)
    return {
      retryLater: true,
      failure: 'ffmpeg is not available to put the tracks together; they are kept and finished on the next start.'
    }
  let unsealed = false
  const attach = async (present: readonly TrackInfo[]) => {
    if (!seal) return []
    try {
      return [await consentAttachment(tools, present, seal, workDir)]
    } catch (err) {
      log.warn(`could not add the consent log to ${file}: ${String(err)}`)
      unsealed = true
      return []
    }
  }
  const merged = await mergeTracks(tools, file, { tracks: recorded, meta: { ...meta, path: 'tracks' }, attach })
  if (!merged.ok) {
    log.warn(`could not merge the tracks of ${file}: ${merged.reason}`)
    return {
      retryLater: true,
      failure: `The tracks could not be put together (${merged.reason}); they are kept and tried again on the next start.`
    }
  }
  await rm(workDir, { recursive: true, force: true })
  return unsealed ? { failure: 'The signed consent log could not be added to the recording.' } : {}
}
