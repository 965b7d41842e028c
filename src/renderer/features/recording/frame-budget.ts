/** Share of its thread the compositor may spend drawing. */
const THREAD_SHARE = 0.4
/** Never fewer frames than one a second, however slow drawing is. */
const MAX_GAP_MS = 1000

/**
 * Whether to draw a frame now, so that where drawing is slow (no GPU, a busy machine) the frame
 * rate drops until drawing takes at most ~40% of the thread (the call UI, or the worker's
 * message handling, stays responsive), but never below 1 frame a second. The recording's
 * timing is unaffected: frames carry their time. Used by the page and the worker alike.
 */
export class FrameBudget {
  /** average cost of one draw (ms) */
  private costMs = 0
  private lastDraw = 0

  constructor(private readonly now: () => number = () => performance.now()) {}

  get averageCostMs(): number {
    return this.costMs
  }

  /** Run `draw` unless the budget says wait; measures what it cost. */
  tick(draw: () => void): void {
    const now = this.now()
    if (now - this.lastDraw < Math.min(this.costMs / THREAD_SHARE, MAX_GAP_MS)) return
    this.lastDraw = now
    draw()
    const spent = this.now() - now
    this.costMs = this.costMs === 0 ? spent : this.costMs * 0.8 + spent * 0.2
  }

  /** A frame drawn outside the budget (the first, one on request): the next tick counts from it. */
  drawNow(draw: () => void): void {
    this.lastDraw = this.now()
    draw()
  }
}
