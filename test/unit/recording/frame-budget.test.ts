import { describe, expect, it } from 'vitest'
import { FrameBudget } from '../../../src/renderer/features/recording/frame-budget'

/** Ticks every `everyMs` for `forMs` of a fake clock; each draw takes `costMs`. Returns frames drawn. */
function run(costMs: number, everyMs: number, forMs: number): number {
  let clock = 0
  const budget = new FrameBudget(() => clock)
  let frames = 0
  for (let t = 0; t < forMs; t += everyMs) {
    clock = Math.max(clock, t)
    budget.tick(() => {
      frames++
      clock += costMs
    })
  }
  return frames
}

describe('the recording frame budget', () => {
  it('draws every tick when drawing is cheap', () => {
    expect(run(2, 1000 / 15, 10_000)).toBeGreaterThanOrEqual(149)
  })

  it('lowers the frame rate so slow drawing takes at most about 40% of the thread', () => {
    const frames = run(50, 1000 / 15, 10_000)
    // 50 ms a frame at 40% is one frame each 125 ms: 8 a second, not 15.
    expect(frames).toBeLessThanOrEqual(82)
    expect(frames).toBeGreaterThanOrEqual(60)
  })

  it('never draws fewer than one frame a second, however slow', () => {
    expect(run(900, 1000 / 15, 20_000)).toBeGreaterThanOrEqual(10)
  })
})
