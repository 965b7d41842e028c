import { open, type FileHandle } from 'node:fs/promises'
import { EncodedAudioPacketSource, EncodedPacket, EncodedVideoPacketSource, MkvOutputFormat, Output } from 'mediabunny'
import type { EncodedFrame } from '../../../../shared/recording-frames'
import { looksLikeOpus, looksLikeVp8, vp8KeyFrameSize } from './codec-check'
import { HeldBytesTarget } from './held-bytes-target'
import { OpusPacketJoiner } from './opus-packets'

export type TrackCodec = 'vp8' | 'opus'

const VIDEO_FRAME_US = 1e6 / 30

/**
 * One track of a recording (one person's camera, microphone or screen) as its own Matroska file,
 * written as frames arrive, append-only, by mediabunny: what `add` took is on disk once `flush`
 * resolves (the recording flushes after each batch of frames, so a kill loses only what had not
 * reached the core; one write per batch, not one or two per frame). Times are the meeting
 * clock's, so a late joiner's file starts late and a pause is a gap. The files of a recording
 * become the one file the user keeps when it stops (merge-tracks.ts), or in the recovery after
 * a crash.
 *
 * Frames are checked before they are written (codec, order, the first video frame a key frame);
 * one that fails is dropped and counted, never written, and the track goes on. An audio track's
 * frames in a row go into the file as fewer, longer packets (opus-packets.ts), within a batch.
 */
export class TrackFile {
  private handle: FileHandle | null = null
  private output: Output | null = null
  private source: EncodedVideoPacketSource | EncodedAudioPacketSource | null = null
  private lastTimeS = -1
  private readonly opus = new OpusPacketJoiner()
  private writes: Promise<unknown> = Promise.resolve()
  /** what the muxer wrote since the last flush */
  private readonly held = new HeldBytesTarget()
  frames = 0
  bytes = 0
  dropped = 0

  constructor(
    readonly file: string,
    readonly codec: TrackCodec
  ) {}

  get hasFrames(): boolean {
    return this.frames > 0
  }

  /** Adds a frame; resolves once it is written. False (and counted) for a frame that fails the checks. */
  async add(frame: EncodedFrame): Promise<boolean> {
    const timeS = frame.timeUs / 1e6
    const isAudio = this.codec === 'opus'
    const valid =
      timeS > this.lastTimeS &&
      (isAudio ? looksLikeOpus(frame.data) : looksLikeVp8(frame.data, frame.key)) &&
      (this.source !== null || isAudio || frame.key)
    if (!valid) {
      this.dropped++
      return false
    }
    this.lastTimeS = timeS
    if (isAudio) for (const p of this.opus.add(frame.timeUs, frame.data)) await this.write(p.data, true, p.timeUs, p.durationUs)
    else await this.write(frame.data, frame.key, frame.timeUs, VIDEO_FRAME_US)
    this.frames++
    this.bytes += frame.data.byteLength
    return true
  }

  private async write(data: Uint8Array, key: boolean, timeUs: number, durationUs: number): Promise<void> {
    const packet = new EncodedPacket(data, key ? 'key' : 'delta', timeUs / 1e6, durationUs / 1e6)
    if (this.source) await this.source.add(packet)
    else await this.begin(packet)
  }

  /** Puts on disk what the frames taken since the last flush made: contiguous bytes in one write. */
  async flush(): Promise<void> {
    await this.writeHeldAudio()
    const runs = this.held.take()
    const handle = this.handle
    if (runs.length === 0 || !handle) return
    this.writes = this.writes.then(async () => {
      for (const run of runs) await handle.write(run.bytes, 0, run.bytes.byteLength, run.position)
    })
    await this.writes
  }

  /** Writes what the muxer still holds and closes the file. Safe to call more than once. */
  async close(): Promise<void> {
    await this.writeHeldAudio().catch(() => undefined)
    const output = this.output
    this.output = null
    if (output) await output.finalize().catch(() => undefined)
    await this.flush().catch(() => undefined)
    await this.writes.catch(() => undefined)
    await this.handle?.close().catch(() => undefined)
    this.handle = null
  }

  /** The audio packet being built goes to the muxer: a flush leaves nothing taken unwritten. */
  private async writeHeldAudio(): Promise<void> {
    const audio = this.opus.take()
    if (audio) await this.write(audio.data, true, audio.timeUs, audio.durationUs)
  }

  /** Opens the file with the first frame: a VP8 track's header needs the key frame's picture size. */
  private async begin(first: EncodedPacket): Promise<void> {
    this.handle = await open(this.file, 'wx', 0o600)
    // Clusters of about a second, for seeking; frames are written one by one regardless.
    const output = new Output({ format: new MkvOutputFormat({ appendOnly: true, minimumClusterDuration: 1 }), target: this.held })
    this.output = output
    if (this.codec === 'vp8') {
      const size = vp8KeyFrameSize(first.data) ?? { width: 0, height: 0 } // checked in add()
      const source = new EncodedVideoPacketSource('vp8')
      output.addVideoTrack(source)
      await output.start()
      await source.add(first, { decoderConfig: { codec: 'vp8', codedWidth: size.width, codedHeight: size.height } })
      this.source = source
    } else {
      const source = new EncodedAudioPacketSource('opus')
      output.addAudioTrack(source)
      await output.start()
      await source.add(first, { decoderConfig: { codec: 'opus', numberOfChannels: 2, sampleRate: 48_000 } })
      this.source = source
    }
  }
}
