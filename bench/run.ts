import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, p95 } from './lib/stats'
import type { Scenario, ScenarioReport } from './lib/types'
import { backgroundBlur } from './scenarios/background-blur'
import { joinToFirstFrame } from './scenarios/join-to-first-frame'
import { joinUnderAttack } from './scenarios/join-under-attack'
import { meshScale } from './scenarios/mesh-scale'
import { natLabJoin } from './scenarios/nat-lab-join'
import { recordingScenario } from './scenarios/recording'
import { recordingPaths } from './scenarios/recording-paths'
import { signalling } from './scenarios/signalling'
import { startup } from './scenarios/startup'

// `npm run bench`: every scenario in turn, a table, and bench/results/latest.json.
const here = path.dirname(fileURLToPath(import.meta.url))
const scenarios: Scenario[] = [
  startup,
  signalling,
  joinUnderAttack,
  joinToFirstFrame,
  natLabJoin,
  meshScale,
  recordingScenario,
  recordingPaths,
  backgroundBlur
]

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const unknown = only.filter((name) => !scenarios.some((s) => s.name === name))
  if (unknown.length > 0) {
    console.error(`bench: no scenario named ${unknown.join(', ')}; the scenarios are ${scenarios.map((s) => s.name).join(', ')}`)
    process.exitCode = 2
    return
  }
  const reports: ScenarioReport[] = []
  const started = performance.now()
  // Other work on the machine moves every figure: keep the load next to them.
  const load: Record<string, number[]> = { start: os.loadavg() }
  const seconds: Record<string, number> = {}
  for (const scenario of scenarios) {
    if (only.length > 0 && !only.includes(scenario.name)) continue
    console.log(
      `bench: ${scenario.name}… (load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')})`
    )
    const t0 = performance.now()
    try {
      reports.push(await scenario.run())
    } catch (err) {
      reports.push({ scenario: scenario.name, comparisons: [], errors: [err instanceof Error ? (err.stack ?? err.message) : String(err)] })
    }
    seconds[scenario.name] = Math.round((performance.now() - t0) / 1000)
    load[scenario.name] = os.loadavg()
  }
  seconds.total = Math.round((performance.now() - started) / 1000)
  const rows = reports.flatMap((r) =>
    r.comparisons.map((c) => {
      const ours = median(c.ours.samples)
      const base = median(c.baseline.samples)
      return {
        scenario: r.scenario,
        figure: c.ours.label,
        unit: c.ours.unit,
        'ours median': round(ours),
        'ours p95': round(p95(c.ours.samples)),
        baseline: c.baselineLabel,
        'baseline median': round(base),
        ratio: round(ours / base, 2),
        n: c.ours.samples.length
      }
    })
  )
  console.table(rows)
  for (const r of reports) {
    for (const b of r.breakdowns ?? []) {
      console.log(`${r.scenario}, ${b.label}: ${b.unit} (median / p95 over samples)`)
      console.table(
        Object.fromEntries(
          Object.entries(b.stages).map(([stage, v]) => {
            const ok = v.filter((x) => Number.isFinite(x))
            return [stage, { median: round(median(ok)), p95: round(p95(ok)), n: ok.length }]
          })
        )
      )
    }
  }
  for (const r of reports) for (const e of r.errors) console.error(`FAILED ${r.scenario}: ${e}`)
  const out = path.join(here, 'results')
  mkdirSync(out, { recursive: true })
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version
  }
  console.log(
    `bench: seconds per scenario ${JSON.stringify(seconds)}; load average (1, 5, 15 min) at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  )
  writeFileSync(
    path.join(out, 'latest.json'),
    JSON.stringify({ at: new Date().toISOString(), machine, seconds, loadAverage: load, reports, table: rows }, null, 2)
  )
  console.log(`bench: wrote ${path.join(out, 'latest.json')}`)
  if (reports.some((r) => r.errors.length > 0)) process.exitCode = 1
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

await main()
