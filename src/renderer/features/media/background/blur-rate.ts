import type { FromWorker } from './messages'

/** Seconds in a row under the floor before giving up; the first seconds (loading, warm-up) do not count. */
const SLOW_SECONDS = 4
const WARM_UP_SECONDS = 3

/**
 * Frames in and out per second, and `too-slow` (once) when the work per frame has left room for
 * fewer than `minFps` frames a second for several seconds in a row: a blip does not count.
 */
export class BlurRate {
  private second: number
  private inCount = 0
  private outCount = 0
  private busyMs = 0
  private seconds = 0
  private slowSeconds = 0
  private told = false

  constructor(
    private readonly minFps: number,
    private readonly now: () => number = () => performance.now()
  ) {
    this.second = now()
  }

  frameIn(): void {
    this.inCount++
  }

  frameOut(ms: number): void {
    this.outCount++
    this.busyMs += ms
  }

  tick(): FromWorker | null {
    const now = this.now()
    if (now - this.second < 1000) return null
    const span = (now - this.second) / 1000
    const fpsIn = this.inCount / span
    const fpsOut = this.outCount / span
    const msPerFrame = this.outCount > 0 ? this.busyMs / this.outCount : 0
    this.second = now
    this.inCount = this.outCount = this.busyMs = 0
    this.seconds++
    // Work per frame says whether we could keep up: the processor drops frames we are too slow
    // to take, so the input count alone cannot tell.
    const couldDo = msPerFrame > 0 ? 1000 / msPerFrame : Infinity
    if (this.seconds > WARM_UP_SECONDS && couldDo < this.minFps) this.slowSeconds++
    else this.slowSeconds = 0
    if (this.slowSeconds >= SLOW_SECONDS && !this.told) {
      this.told = true
      return { t: 'too-slow', fps: Math.round(Math.min(fpsOut, couldDo) * 10) / 10 }
    }
    return { t: 'rate', fpsIn: round(fpsIn), fpsOut: round(fpsOut), msPerFrame: round(msPerFrame) }
  }
}

const round = (n: number) => Math.round(n * 10) / 10
