import { afterEach, describe, expect, it, vi } from 'vitest'
import { formatDuration, onSecondTick } from '../../../src/renderer/screens/meeting/second-tick'

afterEach(() => {
  vi.useRealTimers()
})

describe("the meeting screen's running times", () => {
  it('read as people read them', () => {
    expect([0, 7, 59.9, 60, 754, 3599, 3723, -3].map(formatDuration)).toEqual([
      '0:00',
      '0:07',
      '0:59',
      '1:00',
      '12:34',
      '59:59',
      '1:02:03',
      '0:00'
    ])
  })

  it('every clock changes on the same tick, once a wall-clock second, and the timer stops with the last clock', () => {
    vi.useFakeTimers()
    vi.setSystemTime(1_000_000_300)
    const ticks: Array<[string, number]> = []
    const offMeeting = onSecondTick(() => ticks.push(['meeting', Date.now()]))
    vi.advanceTimersByTime(450) // a recording starts at an odd moment
    const offRecording = onSecondTick(() => ticks.push(['recording', Date.now()]))
    vi.advanceTimersByTime(2000)
    expect(ticks).toEqual([
      ['meeting', 1_000_001_005],
      ['recording', 1_000_001_005],
      ['meeting', 1_000_002_005],
      ['recording', 1_000_002_005]
    ])
    offRecording()
    vi.advanceTimersByTime(1000)
    expect(ticks.at(-1)).toEqual(['meeting', 1_000_003_005])
    offMeeting()
    expect(vi.getTimerCount()).toBe(0)
  })
})
