/**
 * Frame times on the meeting clock (microseconds since the recording started), so every track
 * of a recording lines up: a late joiner's first frame is late, a pause is a gap.
 *
 * A remote frame carries its RTP timestamp (90 kHz video, 48 kHz Opus), continuous for as long
 * as its sender keeps its SSRC (across pauses and camera changes): the first frame of an SSRC
 * is placed at its arrival time, the others by their RTP distance from it, so network jitter
 * never reaches the file. A new SSRC (the link was renewed) is placed anew. A frame of our own
 * camera or mic has a capture time in microseconds; the same rule applies with a 1 MHz clock.
 *
 * Times only go forward: a frame that would land at or before its track's last one is dropped.
 * One track may be fed by sources of different clocks in turn (our camera: the frames one of our
 * links sends, or our own encoder when no link sends them): each source comes with its timebase.
 */
export interface Timebase {
  /** ticks per second */
  rate: number
  /** where the stamp wraps (2^32 for RTP) */
  wrapAt: number
}
export const RTP_VIDEO: Timebase = { rate: 90_000, wrapAt: 2 ** 32 }
export const RTP_AUDIO: Timebase = { rate: 48_000, wrapAt: 2 ** 32 }
export const MICROSECONDS: Timebase = { rate: 1e6, wrapAt: Number.POSITIVE_INFINITY }

export class MediaClock {
  private source: number | null = null
  private base = 0
  private anchorUs = 0
  private last = 0
  private wraps = 0
  private lastUs = -1

  /** `clockRate` ticks per second of `stamp`; `wrapAt` where the stamp wraps (2^32 for RTP). */
  constructor(
    private clockRate: number,
    private wrapAt = 2 ** 32
  ) {}

  /**
   * Fixes where a source's `stamp` lies on the meeting clock, before its first frame is placed:
   * our own frames are anchored when the raw frame arrives, not when the encoder is done with it.
   */
  anchor(source: number, stamp: number, arrivalUs: number, timebase?: Timebase): void {
    if (timebase) {
      this.clockRate = timebase.rate
      this.wrapAt = timebase.wrapAt
    }
    this.source = source
    this.base = stamp
    this.last = stamp
    this.wraps = 0
    this.anchorUs = Math.max(arrivalUs, this.lastUs + 1)
  }

  /**
   * The frame's time in µs since the recording started, or null to drop it. The arrival time
   * counts only for a source's first frame, so it may be given as a function, asked only then.
   */
  place(source: number, stamp: number, arrivalUs: number | (() => number), timebase?: Timebase): number | null {
    if (source !== this.source) this.anchor(source, stamp, typeof arrivalUs === 'number' ? arrivalUs : arrivalUs(), timebase)
    else {
      // A stamp far below the last one wrapped around; slightly below is a reordered frame.
      if (stamp < this.last && this.last - stamp > this.wrapAt / 2) this.wraps++
      this.last = stamp
    }
    const ticks = stamp - this.base + (this.wraps > 0 ? this.wraps * this.wrapAt : 0)
    const timeUs = Math.round(this.anchorUs + (ticks * 1e6) / this.clockRate)
    if (timeUs <= this.lastUs) return null
    this.lastUs = timeUs
    return timeUs
  }
}
