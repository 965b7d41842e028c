import { randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../../test/support/chromium'
import { startBenchServer } from '../lib/bench-server'
import { cpuSecondsOf } from '../lib/process-cpu'
import type { Figure } from '../lib/types'

export const MESH_SIZES = [2, 3, 4] as const
const WINDOW_MS = Number(process.env.BENCH_MESH_WINDOW_MS ?? 20_000)

/** A browser whose processes (browser, renderers, GPU, utilities) we can find to count CPU. */
export async function launchCountedBrowser(): Promise<{ browser: Browser; cpuSeconds: () => number }> {
  const marker = `--dym-bench=${randomBytes(6).toString('hex')}`
  const browser = await launchChromium([marker])
  // Child processes carry the profile dir, not our marker: find the profile via the marker.
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  const line = ps.split('\n').find((l) => l.includes(marker)) ?? ''
  const profile = /--user-data-dir=(\S+)/.exec(line)?.[1]
  if (!profile) throw new Error('could not find the benchmark browser profile')
  return { browser, cpuSeconds: () => cpuSecondsOf((cmd) => cmd.includes(profile)) }
}

export interface MeshWindow {
  /** CPU seconds per participant per minute */
  cpu: number
  /** received frames per second per remote tile */
  fps: number
}

/**
 * Measures a running mesh over a fixed window: CPU of the given processes and frames decoded
 * across all pages. `framesDecoded(page)` returns the total over the page's remote tiles.
 */
export async function measureMeshWindow(pages: Page[], cpuSeconds: () => number, framesDecoded: (p: Page) => Promise<number>): Promise<MeshWindow> {
  const n = pages.length
  const cpu0 = cpuSeconds()
  const frames0 = await Promise.all(pages.map(framesDecoded))
  const t0 = performance.now()
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS)) // a measurement window, not synchronisation
  const frames1 = await Promise.all(pages.map(framesDecoded))
  const seconds = (performance.now() - t0) / 1000
  const cpu = cpuSeconds() - cpu0
  const frames = frames1.reduce((a, b) => a + b, 0) - frames0.reduce((a, b) => a + b, 0)
  return { cpu: (cpu / n) * (60 / seconds), fps: frames / (n * (n - 1)) / seconds }
}

type MeshWindowApi = { prepare(room: string, id: string): Promise<void>; hello(): void; framesDecoded(): Promise<{ total: number; tiles: number }> }

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
      await page.waitForFunction(async (want) => {
        const r = await (globalThis as unknown as MeshWindowApi).framesDecoded()
        return r.tiles === want && r.total > 0
      }, n - 1, { timeout: 30_000, polling: 250 })
    }
    return await measureMeshWindow(pages, cpuSeconds, async (p) => (await p.evaluate(() => (globalThis as unknown as MeshWindowApi).framesDecoded())).total)
  } finally {
    await browser.close()
    await server.close()
  }
}

export function meshFigures(results: Map<number, MeshWindow>, who: string): { cpu: Figure; fps: Figure }[] {
  return [...results.entries()].map(([n, r]) => ({
    cpu: { label: `${who} ${n} participants: CPU per participant`, unit: 'cpu-s/min', samples: [r.cpu] },
    fps: { label: `${who} ${n} participants: received fps per tile`, unit: 'fps', samples: [r.fps] }
  }))
}
