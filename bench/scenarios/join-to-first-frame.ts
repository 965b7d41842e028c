import type { Browser } from 'playwright-core'
import { launchChromium } from '../../test/support/chromium'
import { startBenchServer } from '../lib/bench-server'
import type { Figure, Scenario, ScenarioReport } from '../lib/types'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15)

/** The floor: two peer connections in one page, in-process signalling, two-way media. */
async function floorSample(browser: Browser, origin: string): Promise<number> {
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    await page.goto(`${origin}/floor.html`)
    await page.evaluate(() => (globalThis as unknown as { prepare(): Promise<void> }).prepare())
    return await page.evaluate(() => (globalThis as unknown as { run(): Promise<number> }).run())
  } finally {
    await context.close()
  }
}

/** Two pages joined through a bare WebSocket relay with trickle ICE; the joiner offers. */
async function wsPairSample(browser: Browser, origin: string, room: string): Promise<number> {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()])
  try {
    const [host, joiner] = await Promise.all(contexts.map((c) => c.newPage()))
    if (!host || !joiner) throw new Error('no page')
    await Promise.all([host.goto(`${origin}/ws-pair.html`), joiner.goto(`${origin}/ws-pair.html`)])
    type PairWindow = { prepare(room: string, role: string): Promise<void>; join(): Promise<number>; firstAbs(): Promise<number> }
    await host.evaluate((r) => (globalThis as unknown as PairWindow).prepare(r, 'host'), room)
    await joiner.evaluate((r) => (globalThis as unknown as PairWindow).prepare(r, 'joiner'), room)
    const t0 = await joiner.evaluate(() => (globalThis as unknown as PairWindow).join())
    const frames = await Promise.all([host, joiner].map((p) => p.evaluate(() => (globalThis as unknown as PairWindow).firstAbs())))
    return Math.max(...frames) - t0
  } finally {
    await Promise.all(contexts.map((c) => c.close()))
  }
}

export interface BaselineFigures {
  floor: Figure
  wsPair: Figure
}

/** Both references, measured in this run; the app's own figure is compared against them. */
export async function measureBaselines(browser: Browser, samples = SAMPLES): Promise<BaselineFigures> {
  const server = await startBenchServer()
  try {
    const floor: number[] = []
    const wsPair: number[] = []
    // Interleaved, so drift on a noisy machine hits both alike.
    for (let i = 0; i < samples; i++) {
      floor.push(await floorSample(browser, server.origin))
      wsPair.push(await wsPairSample(browser, server.origin, `r${i}`))
    }
    return {
      floor: { label: 'floor: 2 peer connections in one page', unit: 'ms', samples: floor },
      wsPair: { label: 'bare WebSocket signalling, 2 pages', unit: 'ms', samples: wsPair }
    }
  } finally {
    await server.close()
  }
}

export const joinToFirstFrame: Scenario = {
  name: 'join-to-first-frame',
  async run(): Promise<ScenarioReport> {
    const browser = await launchChromium()
    const errors: string[] = []
    try {
      const base = await measureBaselines(browser)
      return {
        scenario: 'join-to-first-frame',
        comparisons: [{ ours: base.wsPair, baseline: base.floor, baselineLabel: 'floor (one page)', lowerIsBetter: true }],
        errors
      }
    } finally {
      await browser.close()
    }
  }
}
