import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../test/support/chromium'
import { startBenchServer } from '../lib/bench-server'
import { cpuSecondsOf } from '../lib/process-cpu'
import { cpuSecondsByThread } from '../lib/thread-cpu'
import {
  clickJoin,
  closeParticipants,
  framesDecoded,
  openParticipants,
  pasteInvite,
  receivedTiles,
  startMeeting,
  type AppParticipant,
  type ReceivedTile
} from '../lib/app-meeting'
import { cpuSeconds } from '../lib/proc-stats'
import type { Comparison, Scenario, ScenarioReport } from '../lib/types'

export const MESH_SIZES = (process.env.BENCH_MESH_SIZES ?? '2,3,4').split(',').map(Number)
const WINDOW_MS = Number(process.env.BENCH_MESH_WINDOW_MS ?? 15_000)
const MESH_READY_MS = 30_000

/** A browser whose processes (browser, renderers, GPU, utilities) we can find to count CPU. */
export async function launchCountedBrowser(): Promise<{
  browser: Browser
  cpuSeconds: () => number
  /** CPU seconds so far by process type and thread name (see thread-cpu.ts) */
  cpuByThread: () => Record<string, number>
  /** whether a process's command line is one of this Chromium's */
  owns: (cmdline: string) => boolean
}> {
  const marker = `--dym-bench=${randomBytes(6).toString('hex')}`
  const browser = await launchChromium([marker])
  // Child processes carry the profile dir, not our marker: find the profile via the marker.
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  const line = ps.split('\n').find((l) => l.includes(marker)) ?? ''
  const profile = /--user-data-dir=(\S+)/.exec(line)?.[1]
  if (!profile) throw new Error('could not find the benchmark browser profile')
  const ours = (cmd: string) => cmd.includes(profile)
  return { browser, cpuSeconds: () => cpuSecondsOf(ours), cpuByThread: () => cpuSecondsByThread(ours), owns: ours }
}

export interface MeshWindow {
  /** CPU seconds per participant per minute, all counted processes */
  cpu: number
  /** the same split by process group (e.g. browser, hosts) */
  cpuParts: Record<string, number>
  /** each process group's CPU seconds per minute, not divided among the participants */
  cpuPerMinute: Record<string, number>
  /** received frames per second per remote tile (all tiles together) */
  fps: number
  /** each remote tile: its frames per second over the window, and its decoded size at the end */
  tiles: Array<{ fps: number; width: number; height: number }>
}

/**
 * Measures a running mesh over a fixed window: CPU of the given process groups, and per remote
 * tile of every page the frames decoded over the window and the size they arrive at by its end.
 */
export async function measureMeshWindow<P>(
  pages: P[],
  cpuParts: Record<string, () => number>,
  tilesOf: (p: P) => Promise<ReceivedTile[]>,
  windowMs = WINDOW_MS
): Promise<MeshWindow> {
  const n = pages.length
  const read = () => Object.fromEntries(Object.entries(cpuParts).map(([k, f]) => [k, f()]))
  const cpu0 = read()
  const before = await Promise.all(pages.map(tilesOf))
  const t0 = performance.now()
  await new Promise((resolve) => setTimeout(resolve, windowMs)) // a measurement window, not synchronisation
  const after = await Promise.all(pages.map(tilesOf))
  const seconds = (performance.now() - t0) / 1000
  const cpu1 = read()
  const perMinute = (k: string) => ((cpu1[k] ?? 0) - (cpu0[k] ?? 0)) * (60 / seconds)
  const cpuPerMinute = Object.fromEntries(Object.keys(cpuParts).map((k) => [k, perMinute(k)]))
  const parts = Object.fromEntries(Object.keys(cpuParts).map((k) => [k, perMinute(k) / n]))
  const tiles = after.flatMap((page, i) =>
    page.map((t) => {
      const start = before[i]?.find((b) => b.key === t.key)?.frames ?? t.frames
      return { fps: (t.frames - start) / seconds, width: t.width, height: t.height }
    })
  )
  const frames = tiles.reduce((sum, t) => sum + t.fps, 0)
  return { cpu: Object.values(parts).reduce((a, b) => a + b, 0), cpuParts: parts, cpuPerMinute, fps: frames / (n * (n - 1)), tiles }
}

type MeshWindowApi = {
  prepare(room: string, id: string): Promise<void>
  hello(): void
  framesDecoded(): Promise<{ total: number; tiles: number }>
  receivedTiles(): Promise<ReceivedTile[]>
}

/** The bare baseline page: N pages on a WebSocket-signalled mesh. */
export async function measureBareMesh(n: number): Promise<MeshWindow> {
  const server = await startBenchServer()
  const { browser, cpuSeconds } = await launchCountedBrowser()
  try {
    const pages: Page[] = []
    for (let i = 0; i < n; i++) {
      const page = await (await browser.newContext()).newPage()
      await page.goto(`${server.origin}/ws-mesh.html`)
      await page.evaluate(([room, id]) => (globalThis as unknown as MeshWindowApi).prepare(room as string, id as string), ['mesh', `p${i}`])
      pages.push(page)
    }
    for (const page of pages) await page.evaluate(() => (globalThis as unknown as MeshWindowApi).hello())
    for (const page of pages) {
      await page.waitForFunction(
        async (want) => {
          const r = await (globalThis as unknown as MeshWindowApi).framesDecoded()
          return r.tiles === want && r.total > 0
        },
        n - 1,
        { timeout: 30_000, polling: 250 }
      )
    }
    return await measureMeshWindow(pages, { browser: cpuSeconds }, (p) =>
      p.evaluate(() => (globalThis as unknown as MeshWindowApi).receivedTiles())
    )
  } finally {
    await browser.close()
    await server.close()
  }
}

/**
 * Our app: N headless hosts and N pages of the real UI in one meeting (the first starts it, the
 * others join from its invite one after another), measured once every page decodes video from
 * all others. CPU counts the browser and the hosts (the core is part of what our app costs; the
 * bare page's relay is idle in a steady call and runs inside the bench process).
 */
export async function measureAppMesh(n: number): Promise<MeshWindow> {
  const { browser, cpuSeconds: browserCpu } = await launchCountedBrowser()
  let people: AppParticipant[] = []
  try {
    people = await openParticipants(browser, n, { probe: false })
    const invite = await startMeeting(people[0]!.page, 'Mesh')
    for (const p of people.slice(1)) {
      await pasteInvite(p.page, invite)
      await clickJoin(p.page)
    }
    for (const p of people) {
      await waitFor(() => framesDecoded(p.page).then((r) => r.tiles === n - 1), MESH_READY_MS).catch(async (err: unknown) => {
        const decoded = JSON.stringify(await framesDecoded(p.page).catch(() => null))
        const states = await p.page
          .locator('[data-testid="tile"]:not([data-self])')
          .evaluateAll((els) =>
            (els as unknown as Array<{ getAttribute(n: string): string | null }>).map(
              (e) => `${e.getAttribute('data-role')}:${e.getAttribute('data-state')}`
            )
          )
          .catch(() => [])
        throw new Error(
          `a page did not decode video from ${n - 1} others within ${MESH_READY_MS} ms (decoded ${decoded}, remote tiles ${states.join(' ')}): ${String(err)}; page errors: ${JSON.stringify(p.errors.slice(-5))}`
        )
      })
    }
    const hosts = () => people.reduce((sum, p) => sum + (cpuSeconds(p.host.child.pid ?? 0) ?? 0), 0)
    return await measureMeshWindow(
      people.map((p) => p.page),
      { browser: browserCpu, hosts },
      receivedTiles
    )
  } finally {
    await closeParticipants(people)
    await browser.close()
  }
}

/** Polls a condition (a real state check: frames decoded), rejects after `timeoutMs`. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export const meshScale: Scenario = {
  name: 'mesh-scale',
  async run(): Promise<ScenarioReport> {
    const comparisons: Comparison[] = []
    const errors: string[] = []
    const parts: Record<string, number[]> = {}
    for (const n of MESH_SIZES) {
      let bare: MeshWindow | null = null
      let ours: MeshWindow | null = null
      // Each size: the bare page, then ours, back to back so the same load hits both.
      try {
        bare = await measureBareMesh(n)
      } catch (err) {
        errors.push(`bare mesh, ${n} participants: ${err instanceof Error ? err.message : String(err)}`)
      }
      try {
        ours = await measureAppMesh(n)
      } catch (err) {
        errors.push(`our app, ${n} participants: ${err instanceof Error ? err.message : String(err)}`)
      }
      const samples = (w: MeshWindow | null, pick: (w: MeshWindow) => number) => (w ? [pick(w)] : [])
      comparisons.push({
        ours: {
          label: `ours, ${n} participants: CPU per participant (browser + host)`,
          unit: 'cpu-s/min',
          samples: samples(ours, (w) => w.cpu)
        },
        baseline: {
          label: `bare mesh page, ${n} participants: CPU per participant`,
          unit: 'cpu-s/min',
          samples: samples(bare, (w) => w.cpu)
        },
        baselineLabel: 'bare WebSocket mesh page',
        lowerIsBetter: true
      })
      // One sample per remote tile (N(N-1) of them): the median and p95 say how the tiles fared.
      const perTile = (w: MeshWindow | null, pick: (t: MeshWindow['tiles'][number]) => number) => w?.tiles.map(pick) ?? []
      for (const [what, unit, pick] of [
        ['received fps', 'fps', (t) => t.fps],
        ['received frame width', 'px', (t) => t.width],
        ['received frame height', 'px', (t) => t.height]
      ] as const satisfies ReadonlyArray<readonly [string, 'fps' | 'px', (t: MeshWindow['tiles'][number]) => number]>) {
        comparisons.push({
          ours: { label: `ours, ${n} participants: ${what} per remote tile`, unit, samples: perTile(ours, pick) },
          baseline: { label: `bare mesh page, ${n} participants: ${what} per remote tile`, unit, samples: perTile(bare, pick) },
          baselineLabel: 'bare WebSocket mesh page',
          lowerIsBetter: false
        })
      }
      for (const [k, v] of Object.entries(ours?.cpuParts ?? {})) (parts[`${n} participants: ${k}`] ??= []).push(v)
    }
    return {
      scenario: 'mesh-scale',
      comparisons,
      errors,
      breakdowns: [{ label: 'ours, CPU by process group', unit: 'cpu-s per participant per minute', stages: parts }]
    }
  }
}
