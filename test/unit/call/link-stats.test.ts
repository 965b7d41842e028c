import { describe, expect, it } from 'vitest'
import { qualityBars, readLinkStats } from '../../../src/renderer/features/call/link-stats'

/** A trimmed getStats() report as Chromium produces it. */
function report(t: number, opts: { bytes: number; packets: number; lost: number; frames: number; relay?: boolean; rtt?: number }) {
  return [
    { id: 'T01', type: 'transport', timestamp: t, selectedCandidatePairId: 'CP1' },
    {
      id: 'CP1',
      type: 'candidate-pair',
      timestamp: t,
      localCandidateId: 'L1',
      remoteCandidateId: 'R1',
      currentRoundTripTime: opts.rtt ?? 0.02,
      availableOutgoingBitrate: 1_500_000,
      nominated: true,
      state: 'succeeded'
    },
    { id: 'L1', type: 'local-candidate', timestamp: t, candidateType: opts.relay ? 'relay' : 'host' },
    { id: 'R1', type: 'remote-candidate', timestamp: t, candidateType: 'host' },
    {
      id: 'IV',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp: t,
      trackIdentifier: 'cam',
      bytesReceived: opts.bytes,
      packetsReceived: opts.packets,
      packetsLost: opts.lost,
      framesDecoded: opts.frames,
      framesPerSecond: 30,
      frameWidth: 640,
      frameHeight: 360
    },
    {
      id: 'IS',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp: t,
      trackIdentifier: 'scr',
      bytesReceived: 0,
      packetsReceived: 0,
      packetsLost: 0,
      framesDecoded: 7
    },
    {
      id: 'IA',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp: t,
      trackIdentifier: 'mic',
      bytesReceived: 1000,
      packetsReceived: 50,
      packetsLost: 0,
      totalAudioEnergy: 0.5
    },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', timestamp: t, bytesSent: opts.bytes * 2 }
  ]
}
const role = (id: string) => (id === 'scr' ? ('screen' as const) : id === 'cam' ? ('camera' as const) : null)

describe('link stats from getStats', () => {
  it('first sample: route, rtt and counters, no rates yet', () => {
    const { stats } = readLinkStats(report(1000, { bytes: 10_000, packets: 100, lost: 0, frames: 30 }), null, role)
    expect(stats).toMatchObject({
      route: 'direct',
      rttMs: 20,
      inKbps: null,
      framesDecoded: 30,
      screenFramesDecoded: 7,
      audioEnergy: 0.5,
      fps: 30,
      frameWidth: 640,
      frameHeight: 360,
      availableOutBps: 1_500_000
    })
  })

  it('second sample: bitrates and loss over the interval; relay candidates make the route relayed', () => {
    const first = readLinkStats(report(1000, { bytes: 10_000, packets: 100, lost: 0, frames: 30, relay: true }), null, role)
    const { stats } = readLinkStats(report(2000, { bytes: 135_000, packets: 200, lost: 50, frames: 60, relay: true }), first.counters, role)
    expect(stats.route).toBe('relayed')
    expect(stats.inKbps).toBe(1000)
    // 100 packets arrived and 50 were lost in the interval: a third lost
    expect(stats.lossPct).toBeCloseTo(33.3, 1)
    expect(stats.quality).toBe(1)
  })

  it('quality bars', () => {
    expect(qualityBars({ connected: false, flowing: true, lossPct: 0, rttMs: 10 })).toBe(0)
    expect(qualityBars({ connected: true, flowing: true, lossPct: 0, rttMs: 10 })).toBe(4)
    expect(qualityBars({ connected: true, flowing: true, lossPct: 3, rttMs: 10 })).toBe(3)
    expect(qualityBars({ connected: true, flowing: true, lossPct: 0, rttMs: 400 })).toBe(2)
    expect(qualityBars({ connected: true, flowing: false, lossPct: 0, rttMs: 10 })).toBe(0)
  })
})
