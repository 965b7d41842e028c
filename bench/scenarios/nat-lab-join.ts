import { Harness, type Peer } from '../../test/support/harness'
import {
  debugOn,
  ensureSignedIn,
  firstFrames,
  joinMeeting,
  startMeeting,
  waitForRemoteVideo,
  watchFirstFrames
} from '../../test/support/meeting-steps'
import { configure, leave, selectedRoute, type RelaySetup } from '../../test/nat/lab/meet'
import { NatLab, type Participant } from '../../test/nat/lab/nat-lab'
import type { NatKind } from '../../test/nat/lab/network'
import { labUnavailable } from '../../test/nat/lab/shell'
import type { Comparison, Figure, Scenario, ScenarioReport } from '../lib/types'

const SAMPLES = Number(process.env.BENCH_NAT_SAMPLES ?? process.env.BENCH_JOIN_SAMPLES ?? 5)
const FRAME_TIMEOUT = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 30_000)

/**
 * The pairs measured in the lab: one whose media always goes directly (a full-cone NAT on one
 * side: two port-restricted NATs may end up on TURN, see docs/turn.md), one that only TURN carries.
 */
const LAB_PAIRS: Array<{ label: string; nats: [NatKind, NatKind]; route: 'Direct' | 'Relayed' }> = [
  { label: 'NAT lab, direct pair (full-cone <-> port-restricted)', nats: ['full-cone', 'port-restricted'], route: 'Direct' },
  { label: 'NAT lab, TURN-relayed pair (symmetric <-> symmetric)', nats: ['symmetric', 'symmetric'], route: 'Relayed' }
]

/**
 * One join, timed as the user sees it: from the joiner's click on the pre-join Join button to
 * the first frame presented in the remote tile, the later of the two directions (stamped in the
 * pages). The same two people meet again and again (hosts and pages stay up; both leave after
 * each sample), in the lab and on loopback alike.
 */
async function joinSample(creator: Peer, joiner: Peer): Promise<{ ms: number; route: string }> {
  const pages = [creator.page, joiner.page]
  await Promise.all(pages.map(watchFirstFrames))
  const invite = await startMeeting(creator.page, 'Bench')
  const clicked = await joinMeeting(joiner.page, invite)
  await Promise.all(pages.map((p) => waitForRemoteVideo(p, 1, FRAME_TIMEOUT)))
  const frames = (await Promise.all(pages.map(firstFrames))).flatMap((f) => Object.values(f))
  const route = (await selectedRoute(joiner.page))?.route ?? 'unknown'
  await Promise.all(pages.map(leave))
  return { ms: Math.max(...frames) - clicked, route }
}

async function prepare(p: Peer, name: string): Promise<void> {
  await ensureSignedIn(p.page, name)
  await debugOn(p.page)
}

export const natLabJoin: Scenario = {
  name: 'nat-lab-join',
  async run(): Promise<ScenarioReport> {
    const why = labUnavailable()
    if (why) return { scenario: 'nat-lab-join', comparisons: [], errors: [`not run: ${why}`] }
    const errors: string[] = []
    const loopback: number[] = []
    const lab = await NatLab.create()
    const harness = new Harness()
    const samples = LAB_PAIRS.map(() => [] as number[])
    try {
      const relay = await lab.relay()
      const pairs: Array<[Participant, Participant]> = []
      for (const [i, pair] of LAB_PAIRS.entries()) {
        const made = await Promise.all(pair.nats.map((nat, j) => lab.participant({ nat, name: `b${i}${j}` })))
        pairs.push([made[0]!, made[1]!])
      }
      const all = pairs.flat()
      await Promise.all(all.map((p) => prepare(p, p.name)))
      const setup: RelaySetup = { relays: [relay] }
      for (const [creator, joiner] of pairs) {
        await configure(creator, setup, 'creator')
        await configure(joiner, setup, 'joiner')
      }
      const local = await Promise.all([harness.addPeer(), harness.addPeer()])
      await Promise.all(local.map((p, i) => prepare(p, `Local${i}`)))
      // Interleaved, so a busy moment of the machine hits the lab and loopback alike.
      for (let i = 0; i < SAMPLES + 1; i++) {
        const warm = i === 0
        try {
          const l = await joinSample(local[0]!, local[1]!)
          if (!warm) loopback.push(l.ms)
        } catch (err) {
          errors.push(`loopback, sample ${i}: ${(err as Error).message.split('\n')[0]}`)
        }
        for (const [k, [creator, joiner]] of pairs.entries()) {
          try {
            const s = await joinSample(creator, joiner)
            if (s.route !== LAB_PAIRS[k]!.route) errors.push(`${LAB_PAIRS[k]!.label}, sample ${i}: route ${s.route}`)
            else if (!warm) samples[k]!.push(s.ms)
          } catch (err) {
            errors.push(`${LAB_PAIRS[k]!.label}, sample ${i}: ${(err as Error).message.split('\n')[0]}`)
          }
        }
      }
    } finally {
      await harness.close()
      await lab.close()
    }
    const base: Figure = { label: 'same pair on loopback: Join click to first frame both ways', unit: 'ms', samples: loopback }
    const comparisons: Comparison[] = LAB_PAIRS.map((pair, k) => ({
      ours: { label: `${pair.label}: Join click to first frame both ways`, unit: 'ms', samples: samples[k]! },
      baseline: base,
      baselineLabel: 'the same two people on loopback',
      lowerIsBetter: true
    }))
    return { scenario: 'nat-lab-join', comparisons, errors }
  }
}
