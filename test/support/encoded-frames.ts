import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input } from 'mediabunny'
import { packFrames, type EncodedFrame } from '../../src/shared/recording-frames'

/**
 * The encoded frames of a WebM fixture (VP8 video, Opus audio), as a page taps them from a call:
 * each with its time (µs from the file's start) and key-frame flag. Read once per file.
 */
export interface FixtureFrames {
  video: Array<Omit<EncodedFrame, 'track'>>
  audio: Array<Omit<EncodedFrame, 'track'>>
}

const cache = new Map<string, Promise<FixtureFrames>>()

export function fixtureFrames(file: string): Promise<FixtureFrames> {
  let frames = cache.get(file)
  if (!frames) {
    frames = read(file)
    cache.set(file, frames)
  }
  return frames
}

async function read(file: string): Promise<FixtureFrames> {
  const input = new Input({ source: new FilePathSource(file), formats: ALL_FORMATS })
  const out: FixtureFrames = { video: [], audio: [] }
  for (const [kind, track] of [
    ['video', await input.getPrimaryVideoTrack()],
    ['audio', await input.getPrimaryAudioTrack()]
  ] as const) {
    if (!track) continue
    for await (const p of new EncodedPacketSink(track).packets())
      out[kind].push({ key: p.type === 'key', timeUs: Math.max(0, Math.round(p.timestamp * 1e6)), data: p.data.slice() })
  }
  return out
}

/**
 * Frames of several tracks cut into batches of `batchMs` of meeting time, as the page sends them:
 * each track's frames shifted by its `offsetUs` (a late joiner), all interleaved by time.
 */
export function batchesOf(
  tracks: Array<{ track: number; frames: FixtureFrames['video']; offsetUs?: number }>,
  batchMs = 500
): Uint8Array[] {
  const all = tracks
    .flatMap((t) => t.frames.map((f) => ({ ...f, track: t.track, timeUs: f.timeUs + (t.offsetUs ?? 0) })))
    .sort((a, b) => a.timeUs - b.timeUs)
  const batches: EncodedFrame[][] = []
  for (const f of all) {
    const i = Math.floor(f.timeUs / (batchMs * 1000))
    ;(batches[i] ??= []).push(f)
  }
  return batches.filter((b) => b && b.length > 0).map((b) => packFrames(b))
}
