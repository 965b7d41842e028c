/**
 * Picks who is speaking from audio levels sampled a few times a second. A speaker keeps the
 * stage until someone else is clearly louder for a while, so the big tile does not flicker
 * on every cough.
 */
export interface ActiveSpeakerOptions {
  /** below this level (0..1) nobody is speaking */
  threshold?: number
  /** how long a challenger must lead before taking the stage */
  holdMs?: number
}

export class ActiveSpeaker {
  private current: string | null = null
  private challenger: { id: string; since: number } | null = null
  private readonly threshold: number
  private readonly holdMs: number

  constructor(options: ActiveSpeakerOptions = {}) {
    this.threshold = options.threshold ?? 0.3
    this.holdMs = options.holdMs ?? 1200
  }

  get speaker(): string | null {
    return this.current
  }

  /** Feed one sample of levels (id -> 0..1) at time `now`; returns the speaker after it. */
  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    if (this.current !== null && !levels.has(this.current)) this.current = null
    let loudest: string | null = null
    let loudestLevel = this.threshold
    for (const [id, level] of levels) {
      if (level > loudestLevel) {
        loudest = id
        loudestLevel = level
      }
    }
    if (loudest === null || loudest === this.current) {
      this.challenger = null
      return this.current
    }
    if (this.current === null) {
      this.current = loudest
      this.challenger = null
      return this.current
    }
    if (this.challenger?.id !== loudest) this.challenger = { id: loudest, since: now }
    else if (now - this.challenger.since >= this.holdMs) {
      this.current = loudest
      this.challenger = null
    }
    return this.current
  }
}

/**
 * A linear audio level (RTP audio level, 0..1) on the same 0..1 loudness scale as the local
 * level meter: -60 dB and below is 0, -10 dB and above is 1.
 */
export function loudness(linear: number): number {
  if (!(linear > 0)) return 0
  return Math.max(0, Math.min(1, (20 * Math.log10(linear) + 60) / 50))
}
