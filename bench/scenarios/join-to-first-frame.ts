import type { Browser } from 'playwright-core'
import { launchChromium } from '../../test/support/chromium'
import { startBenchServer } from '../lib/bench-server'
import { appJoinSample, JOIN_STAGES } from '../lib/app-join'
import type { Comparison, Figure, Scenario, ScenarioReport } from '../lib/types'

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

/** Two pages (each in its own Chromium) joined through a bare WebSocket relay with trickle ICE; the joiner offers. */
async function wsPairSample(browsers: readonly Browser[], origin: string, room: string): Promise<number> {
  const contexts = await Promise.all([browsers[0]!.newContext(), browsers[1 % browsers.length]!.newContext()])
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

const APP_SAMPLES = Number(process.env.BENCH_JOIN_SAMPLES ?? process.env.BENCH_SAMPLES ?? 6)

/** Our app's variants: participants, and how many of them click Join at the same moment. */
const VARIANTS = [
  { n: 2, joiners: 1, label: 'ours, 2 participants' },
  { n: 3, joiners: 1, label: 'ours, 3 participants (third joins)' },
  { n: 3, joiners: 2, label: 'ours, 3 participants (two join at once)' }
] as const

export const joinToFirstFrame: Scenario = {
  name: 'join-to-first-frame',
  async run(): Promise<ScenarioReport> {
    // One Chromium per participant: pages of one Chromium share its fake camera, and a call
    // starting on one page stalls every page's video for about a second.
    const browsers = await Promise.all([launchChromium(), launchChromium(), launchChromium()])
    const browser = browsers[0]!
    const server = await startBenchServer()
    const errors: string[] = []
    const floor: number[] = []
    const wsPair: number[] = []
    const ours = VARIANTS.map(() => ({
      totals: [] as number[],
      details: [] as unknown[],
      stages: Object.fromEntries(JOIN_STAGES.map((s) => [s, [] as number[]])) as Record<string, number[]>
    }))
    try {
      // Interleaved, so drift on a noisy machine hits baselines and ours alike.
      for (let i = 0; i < Math.max(SAMPLES, APP_SAMPLES); i++) {
        if (i < SAMPLES) {
          floor.push(await floorSample(browser, server.origin))
          wsPair.push(await wsPairSample(browsers, server.origin, `r${i}`))
        }
        if (i >= APP_SAMPLES) continue
        for (const [v, variant] of VARIANTS.entries()) {
          try {
            const sample = await appJoinSample(browsers, variant.n, variant.joiners)
            ours[v]!.totals.push(sample.total)
            ours[v]!.details.push(sample.detail)
            for (const stage of JOIN_STAGES) ours[v]!.stages[stage]!.push(sample.stages[stage])
          } catch (err) {
            errors.push(`${variant.label}, sample ${i + 1}: ${err instanceof Error ? err.message : String(err)}`)
          }
        }
      }
    } finally {
      await server.close()
      await Promise.all(browsers.map((b) => b.close()))
    }
    const floorFig: Figure = { label: 'floor: 2 peer connections in one page', unit: 'ms', samples: floor }
    const wsFig: Figure = { label: 'bare WebSocket signalling, 2 pages', unit: 'ms', samples: wsPair }
    const comparisons: Comparison[] = [{ ours: wsFig, baseline: floorFig, baselineLabel: 'floor (one page)', lowerIsBetter: true }]
    for (const [v, variant] of VARIANTS.entries()) {
      const fig: Figure = { label: `${variant.label}: Join click to first frame both ways`, unit: 'ms', samples: ours[v]!.totals }
      comparisons.push({ ours: fig, baseline: floorFig, baselineLabel: 'floor (one page)', lowerIsBetter: true })
      comparisons.push({ ours: fig, baseline: wsFig, baselineLabel: 'bare WebSocket pair', lowerIsBetter: true })
    }
    return {
      scenario: 'join-to-first-frame',
      comparisons,
      errors,
      breakdowns: VARIANTS.map((variant, v) => ({
        label: variant.label,
        unit: 'ms after the Join click, latest direction',
        stages: ours[v]!.stages,
        samples: ours[v]!.details
      }))
    }
  }
}
