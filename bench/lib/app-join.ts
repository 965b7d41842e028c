import type { Browser } from 'playwright-core'
import {
  clickJoin,
  closeParticipants,
  openParticipants,
  pasteInvite,
  probeReport,
  startMeeting,
  videosFlowing,
  type AppParticipant,
  type ProbeReport
} from './app-meeting'

const FRAME_TIMEOUT = Number(process.env.BENCH_JOIN_TIMEOUT_MS ?? 30_000)

/** The milestones of one join, each in ms after the Join click (the latest of all directions). */
export interface JoinSample {
  total: number
  stages: Record<JoinStage, number>
  /** every page's milestones and dym log, ms after the click, peers named P0 (starter), P1, ... */
  detail: unknown
}
export const JOIN_STAGES = [
  'meeting shown',
  'member listed',
  'peer connection made',
  'remote video track',
  'tile video attached',
  'ICE+DTLS connected',
  'first frame'
] as const
export type JoinStage = (typeof JOIN_STAGES)[number]

/** Wait until this page presents frames from `count` remote tiles. */
async function framesFrom(p: AppParticipant, count: number): Promise<void> {
  await p.page.waitForFunction(
    (want) => {
      const b = (globalThis as unknown as { __bench: { tiles: Record<string, { frameAt: number | null }> } }).__bench
      return Object.values(b.tiles).filter((t) => t.frameAt !== null).length >= want
    },
    count,
    { timeout: FRAME_TIMEOUT, polling: 100 }
  )
}

/**
 * One join of our app, `n` participants: the first starts the meeting, the ones before the last
 * `joiners` join one by one (media flowing before the next), then the last `joiners` click the
 * pre-join Join at the same moment. Timed: from the first of those clicks to the first frame
 * presented in the remote tile, in every direction between a joiner and anyone else.
 * Hosts, pages, sign-in, the invite and the pre-join screen (camera preview playing) are all
 * ready before the click, as they are for the baselines. Each participant gets its own Chromium
 * from `browsers` (taken in turn), as each person has their own app and camera.
 */
export async function appJoinSample(browsers: readonly Browser[], n: number, joiners = 1): Promise<JoinSample> {
  const people = await openParticipants(browsers, n)
  try {
    const invite = await startMeeting(people[0]!.page, 'Bench')
    for (let i = 1; i < n - joiners; i++) {
      await pasteInvite(people[i]!.page, invite)
      await clickJoin(people[i]!.page)
      await Promise.all(people.slice(0, i + 1).map((p) => framesFrom(p, i)))
    }
    const joining = people.slice(n - joiners)
    await Promise.all(joining.map((p) => pasteInvite(p.page, invite)))
    await videosFlowing(people.map((p) => p.page))
    await Promise.all(joining.map((p) => clickJoin(p.page)))
    try {
      await Promise.all(people.map((p) => framesFrom(p, n - 1)))
    } catch (err) {
      const seen = await Promise.all(people.map((p) => probeReport(p.page).catch(() => null)))
      throw new Error(
        `${(err as Error).message.split('\n')[0]}\nprobe: ${JSON.stringify(seen)}\npage errors: ${JSON.stringify(people.map((p) => p.errors.slice(-5)))}`
      )
    }
    const reports = await Promise.all(people.map((p) => probeReport(p.page)))
    return milestones(
      reports,
      new Set(reports.slice(n - joiners).map((r) => r.selfId)),
      people.map((p) => coreTrace(p.host.log()))
    )
  } finally {
    await closeParticipants(people)
  }
}

/** Latest time of each milestone over every direction that involves a joiner. */
function milestones(reports: ProbeReport[], joinerIds: Set<string>, cores: CoreStep[][]): JoinSample {
  const clicks = reports.filter((r) => joinerIds.has(r.selfId)).map((r) => r.clickAt ?? Number.NaN)
  const t0 = Math.min(...clicks)
  const latest = (values: Array<number | null | undefined>) => Math.max(...values.map((v) => v ?? Number.NaN)) - t0
  // Every (receiver, sender) pair where at least one side is joining.
  const dirs = reports.flatMap((r) =>
    Object.keys(r.tiles)
      .filter((from) => joinerIds.has(r.selfId) || joinerIds.has(from))
      .map((from) => ({ r, from }))
  )
  const stages: Record<JoinStage, number> = {
    'meeting shown': latest(reports.filter((r) => joinerIds.has(r.selfId)).map((r) => r.meetingAt)),
    'member listed': latest(dirs.map(({ r, from }) => r.tiles[from]?.listedAt)),
    'peer connection made': latest(dirs.map(({ r, from }) => r.pcs[from]?.createdAt)),
    'ICE+DTLS connected': latest(dirs.map(({ r, from }) => r.pcs[from]?.connectedAt)),
    'remote video track': latest(dirs.map(({ r, from }) => r.pcs[from]?.trackAt)),
    'tile video attached': latest(dirs.map(({ r, from }) => r.tiles[from]?.videoAt)),
    'first frame': latest(dirs.map(({ r, from }) => r.tiles[from]?.frameAt))
  }
  return { total: stages['first frame'], stages, detail: pageDetail(reports, t0, cores) }
}

/** One line of a core's join trace (src/main/core/join-trace.ts): epoch ms and what happened. */
interface CoreStep {
  at: number
  what: string
}

function coreTrace(stderr: string): CoreStep[] {
  return [...stderr.matchAll(/^join-trace (\d+) (.+)$/gm)].map((m) => ({ at: Number(m[1]), what: m[2]! }))
}

/**
 * Each participant's view of the join, relative to the click, with peer ids replaced by P0, P1,
 * ...: its page (probe) and its core (join trace), on one clock.
 */
function pageDetail(reports: ProbeReport[], t0: number, cores: CoreStep[][]): unknown {
  const names = new Map(reports.map((r, i) => [r.selfId, `P${i}`]))
  const rel = (v: number | null | undefined) => (typeof v === 'number' ? Math.round(v - t0) : null)
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? id))
  const renamed = (text: string) => text.replace(/\S{40,}/g, (id) => names.get(id) ?? id)
  return reports.map((r, i) => ({
    page: `P${i}`,
    meeting: rel(r.meetingAt),
    log: r.log.map((e) => `${rel(e.at)} ${e.what}${e.peer ? ' ' + name(e.peer) : ''}`),
    core: (cores[i] ?? []).filter((c) => c.at >= t0 - 1000).map((c) => `${rel(c.at)} ${renamed(c.what)}`),
    from: Object.fromEntries(
      Object.entries(r.tiles).map(([id, t]) => [
        name(id),
        {
          listed: rel(t.listedAt),
          pc: rel(r.pcs[id]?.createdAt),
          track: rel(r.pcs[id]?.trackAt),
          video: rel(t.videoAt),
          connected: rel(r.pcs[id]?.connectedAt),
          frame: rel(t.frameAt)
        }
      ])
    )
  }))
}
