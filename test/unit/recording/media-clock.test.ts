import { describe, expect, it } from 'vitest'
import { MediaClock, MICROSECONDS, RTP_VIDEO } from '../../../src/renderer/features/recording/tracks/media-clock'

describe('frame times on the meeting clock', () => {
  it('places an SSRC at its first arrival, then by RTP distance (jitter never reaches the file), across a wrap', () => {
    const clock = new MediaClock(90_000)
    expect(clock.place(7, 2 ** 32 - 3000, 5_000_000)).toBe(5_000_000)
    // 1/30 s later in RTP, arriving 80 ms late: still 33 ms after the first
    expect(clock.place(7, 2 ** 32 - 0, 5_113_000)).toBe(5_033_333)
    expect(clock.place(7, 3000 - 0, 5_100_000)).toBe(5_066_667) // wrapped
    // a pause: 10 s of RTP later, placed 10 s later
    expect(clock.place(7, 3000 + 900_000, 99_000_000)).toBe(15_066_667)
  })

  it('a new SSRC (the link was renewed) starts at its arrival, never before the last frame; older frames are dropped', () => {
    const clock = new MediaClock(48_000)
    expect(clock.place(1, 1000, 1_000_000)).toBe(1_000_000)
    expect(clock.place(1, 1960, 1_020_000)).toBe(1_020_000)
    expect(clock.place(1, 1000, 1_030_000)).toBeNull() // a repeat
    expect(clock.place(2, 777, 1_000_500)).toBe(1_020_001)
  })

  it('our own frames: microsecond capture times with no wrap', () => {
    const clock = new MediaClock(1e6, Number.POSITIVE_INFINITY)
    expect(clock.place(1, 123_456_789, 2_000_000)).toBe(2_000_000)
    expect(clock.place(1, 123_490_122, 2_050_000)).toBe(2_033_333)
  })

  it('our own frames are anchored when the raw frame arrives, however late the encoder answers', () => {
    const clock = new MediaClock(1e6, Number.POSITIVE_INFINITY)
    clock.anchor(3, 500_000, 1_000_000)
    expect(clock.place(3, 500_000, 4_000_000)).toBe(1_000_000) // encoded 3 s later, placed at its capture
    expect(clock.place(3, 533_333, 4_100_000)).toBe(1_033_333)
  })

  it("a track fed in turn by a link's RTP frames and by our encoder: each source in its own timebase, never backwards", () => {
    const clock = new MediaClock(1e6, Number.POSITIVE_INFINITY)
    expect(clock.place(7, 900_000, 1_000_000, RTP_VIDEO)).toBe(1_000_000) // the link's frames, 90 kHz
    expect(clock.place(7, 909_000, 1_300_000, RTP_VIDEO)).toBe(1_100_000)
    // the link went quiet: our encoder takes over, microseconds of capture time
    expect(clock.place(1, 50_000_000, 2_000_000, MICROSECONDS)).toBe(2_000_000)
    expect(clock.place(1, 50_033_333, 2_040_000, MICROSECONDS)).toBe(2_033_333)
    // another link's frames, anchored where they arrive but never at or before the last frame
    expect(clock.place(9, 4_000_000_000, 2_010_000, RTP_VIDEO)).toBe(2_033_334)
    expect(clock.place(9, 4_000_003_000, 2_050_000, RTP_VIDEO)).toBe(2_066_667)
  })
})
