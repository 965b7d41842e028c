import { describe, expect, it } from 'vitest'
import { BlurRate } from '../../../src/renderer/features/media/background/blur-rate'
import type { FromWorker } from '../../../src/renderer/features/media/background/messages'

/** `seconds` of frames at `fps`, each taking `msPerFrame` to blur; every message the rate gave. */
function run(rate: BlurRate, clock: { t: number }, seconds: number, fps: number, msPerFrame: number): FromWorker[] {
  const said: FromWorker[] = []
  for (let f = 0; f < seconds * fps; f++) {
    clock.t += 1000 / fps
    rate.frameIn()
    rate.frameOut(msPerFrame)
    const m = rate.tick()
    if (m) said.push(m)
  }
  return said
}

describe('the blur gives up only when the computer cannot keep up', () => {
  it('a machine that blurs a frame in 20 ms keeps it on; one that needs 100 ms is told once, after a few seconds', () => {
    const clock = { t: 0 }
    const fast = new BlurRate(15, () => clock.t)
    expect(run(fast, clock, 20, 30, 20).some((m) => m.t === 'too-slow')).toBe(false)

    const slow = new BlurRate(15, () => clock.t)
    const said = run(slow, clock, 20, 10, 100)
    const tooSlow = said.filter((m) => m.t === 'too-slow')
    expect(tooSlow).toEqual([{ t: 'too-slow', fps: 10 }])
    // Not during the warm-up and the seconds after it: the model loads and the JIT warms up.
    expect(said.findIndex((m) => m.t === 'too-slow')).toBeGreaterThanOrEqual(6)
  })

  it('a slow moment of two seconds is not enough', () => {
    const clock = { t: 0 }
    const rate = new BlurRate(15, () => clock.t)
    const said = [...run(rate, clock, 6, 30, 20), ...run(rate, clock, 2, 10, 100), ...run(rate, clock, 10, 30, 20)]
    expect(said.some((m) => m.t === 'too-slow')).toBe(false)
    expect(said.filter((m) => m.t === 'rate').length).toBeGreaterThan(15)
  })
})
