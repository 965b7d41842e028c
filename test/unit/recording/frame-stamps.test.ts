import { describe, expect, it } from 'vitest'
import { jumped, stampOf, type EncodedFrameLike, type StampState } from '../../../src/renderer/features/recording/tracks/frame-stamps'
import { MediaClock } from '../../../src/renderer/features/recording/tracks/media-clock'

/** A frame as Chromium's transform gives it, counting how often its metadata is built. */
function frameOf(ssrc: number, stamp: number, counter: { reads: number }, mimeType = 'audio/opus'): EncodedFrameLike {
  return {
    data: new ArrayBuffer(10),
    timestamp: stamp,
    getMetadata: () => {
      counter.reads++
      return { synchronizationSource: ssrc, rtpTimestamp: stamp, mimeType }
    }
  }
}

const fresh = (): StampState => ({ ssrc: null, lastStamp: 0, wrongCodec: false })

describe("a tapped frame's place in its source's RTP time", () => {
  it('reads the metadata for the first frame and again only when the stamps jump (a new source may have started)', () => {
    const state = fresh()
    const counter = { reads: 0 }
    const problems: string[] = []
    const report = (p: string) => problems.push(p)
    for (let i = 0; i < 50; i++) expect(stampOf(state, frameOf(7, 1000 + i * 960, counter), false, report)).toBe(1000 + i * 960)
    expect(counter.reads).toBe(1)
    expect(state.ssrc).toBe(7)
    // A new sender with a stamp far away: the metadata is read, and the new SSRC is known.
    expect(stampOf(state, frameOf(9, 2_000_000_000, counter), false, report)).toBe(2_000_000_000)
    expect(counter.reads).toBe(2)
    expect(state.ssrc).toBe(9)
    // Across the 32-bit wrap is no jump.
    stampOf(state, frameOf(9, 2 ** 32 - 480, counter), false, report)
    const reads = counter.reads
    expect(stampOf(state, frameOf(9, 480, counter), false, report)).toBe(480)
    expect(counter.reads).toBe(reads)
    expect(problems).toEqual([])
  })

  it('refuses frames of a codec that cannot be recorded as it arrives, and says so once', () => {
    const state = fresh()
    const counter = { reads: 0 }
    const problems: string[] = []
    for (let i = 0; i < 3; i++)
      expect(stampOf(state, frameOf(5, 90_000 * i, counter, 'video/H264'), true, (p) => problems.push(p))).toBeNull()
    expect(problems).toEqual(['a video/H264 track cannot be recorded as it arrives'])
  })

  it('falls back to the metadata where the browser gives frames no timestamp', () => {
    const state = fresh()
    const counter = { reads: 0 }
    const frame = { ...frameOf(3, 4800, counter), timestamp: undefined }
    expect(stampOf(state, frame, false, () => undefined)).toBe(4800)
    expect(stampOf(state, frame, false, () => undefined)).toBe(4800)
    expect(counter.reads).toBe(2)
  })

  it('tells a jump from a step: 5 s of the clock either way', () => {
    expect(jumped(90_000 * 5, 0, 90_000)).toBe(false)
    expect(jumped(90_000 * 5 + 1, 0, 90_000)).toBe(true)
    expect(jumped(0, 48_000 * 6, 48_000)).toBe(true)
    expect(jumped(100, 2 ** 32 - 100, 48_000)).toBe(false)
  })

  it('asks for the arrival time only when a source is anchored', () => {
    const clock = new MediaClock(48_000)
    let asked = 0
    const arrival = () => {
      asked++
      return 1_000_000
    }
    expect(clock.place(1, 48_000, arrival)).toBe(1_000_000)
    expect(clock.place(1, 48_960, arrival)).toBe(1_020_000)
    expect(asked).toBe(1)
  })
})
