import type { LinkStats, MediaRoute, QualityBars, StreamRole } from './model'

/**
 * Turns one `RTCPeerConnection.getStats()` report (plus the previous sample, for rates) into
 * what a tile shows: route, round trip, loss, bitrate, a 0-4 quality score. Pure, so it is
 * unit-tested with recorded reports.
 */
export interface StatsCounters {
  at: number
  bytesIn: number
  bytesOut: number
  packetsIn: number
  packetsLost: number
}

type Stat = Record<string, unknown> & { type: string; id: string }

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function readLinkStats(
  report: Iterable<Stat>,
  previous: StatsCounters | null,
  roleOfTrack: (trackIdentifier: string) => StreamRole | null
): { stats: LinkStats; counters: StatsCounters } {
  const byId = new Map<string, Stat>()
  for (const s of report) byId.set(s.id, s)

  let bytesIn = 0
  let bytesOut = 0
  let packetsIn = 0
  let packetsLost = 0
  let framesDecoded = 0
  let screenFramesDecoded = 0
  let fps: number | null = null
  let frameWidth: number | null = null
  let frameHeight: number | null = null
  let audioEnergy = 0
  let at = 0
  let pair: Stat | undefined

  for (const s of byId.values()) {
    at = Math.max(at, num(s.timestamp) ?? 0)
    if (s.type === 'inbound-rtp') {
      bytesIn += num(s.bytesReceived) ?? 0
      packetsIn += num(s.packetsReceived) ?? 0
      packetsLost += Math.max(0, num(s.packetsLost) ?? 0)
      if (s.kind === 'video') {
        const role = typeof s.trackIdentifier === 'string' ? roleOfTrack(s.trackIdentifier) : null
        if (role === 'screen') screenFramesDecoded += num(s.framesDecoded) ?? 0
        else {
          framesDecoded += num(s.framesDecoded) ?? 0
          fps = num(s.framesPerSecond) ?? fps
          frameWidth = num(s.frameWidth) ?? frameWidth
          frameHeight = num(s.frameHeight) ?? frameHeight
        }
      } else if (s.kind === 'audio') {
        audioEnergy += num(s.totalAudioEnergy) ?? 0
      }
    } else if (s.type === 'outbound-rtp') {
      bytesOut += num(s.bytesSent) ?? 0
    } else if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      pair = byId.get(s.selectedCandidatePairId)
    }
  }
  pair ??= [...byId.values()].find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded')

  let route: MediaRoute | null = null
  let relay: string | null = null
  let rttMs: number | null = null
  if (pair) {
    const local = byId.get(String(pair.localCandidateId))
    const remote = byId.get(String(pair.remoteCandidateId))
    route = local?.candidateType === 'relay' || remote?.candidateType === 'relay' ? 'relayed' : 'direct'
    relay = relayOf(local, remote)
    const rtt = num(pair.currentRoundTripTime)
    rttMs = rtt === null ? null : Math.round(rtt * 1000)
  }
  const availableOutBps = pair ? num(pair.availableOutgoingBitrate) : null

  const counters: StatsCounters = { at, bytesIn, bytesOut, packetsIn, packetsLost }
  let inKbps: number | null = null
  let outKbps: number | null = null
  let lossPct: number | null = null
  if (previous && at > previous.at) {
    const seconds = (at - previous.at) / 1000
    inKbps = Math.max(0, Math.round(((bytesIn - previous.bytesIn) * 8) / 1000 / seconds))
    outKbps = Math.max(0, Math.round(((bytesOut - previous.bytesOut) * 8) / 1000 / seconds))
    const received = packetsIn - previous.packetsIn
    const lost = packetsLost - previous.packetsLost
    lossPct = received + lost > 0 ? Math.round((Math.max(0, lost) / (received + Math.max(0, lost))) * 1000) / 10 : 0
  }
  const flowing = inKbps === null ? bytesIn > 0 : inKbps > 0
  const stats: LinkStats = {
    route,
    relay,
    rttMs,
    lossPct,
    inKbps,
    outKbps,
    framesDecoded,
    screenFramesDecoded,
    fps,
    frameWidth,
    frameHeight,
    availableOutBps,
    audioEnergy,
    quality: qualityBars({ connected: pair !== undefined, flowing, lossPct, rttMs })
  }
  return { stats, counters }
}

/** A coarse score users can read at a glance: loss hurts most, then delay. */
export function qualityBars(input: { connected: boolean; flowing: boolean; lossPct: number | null; rttMs: number | null }): QualityBars {
  if (!input.connected || !input.flowing) return 0
  const loss = input.lossPct ?? 0
  const rtt = input.rttMs ?? 0
  if (loss > 10 || rtt > 600) return 1
  if (loss > 5 || rtt > 300) return 2
  if (loss > 2 || rtt > 150) return 3
  return 4
}

/**
 * Which relay carries the media: our TURN server (the host of the URL our relayed candidate was
 * gathered from, else its address), or the other side's relay address.
 */
function relayOf(local: Stat | undefined, remote: Stat | undefined): string | null {
  if (local?.candidateType === 'relay') {
    const url = typeof local.url === 'string' ? /^turns?:\[?([^\]?]+?)\]?(:\d+)?(\?|$)/.exec(local.url)?.[1] : undefined
    const host = url ?? (typeof local.address === 'string' ? local.address : null)
    if (host) return host.slice(0, 100)
  }
  if (remote?.candidateType === 'relay' && typeof remote.address === 'string') return remote.address.slice(0, 100)
  return null
}
