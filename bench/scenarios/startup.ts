import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { launchChromium } from '../../test/support/chromium'
import { makeTempDir, removeDir, REPO_ROOT, startHost } from '../../test/support/host-process'
import type { Scenario, ScenarioReport } from '../lib/types'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 8)

/** Resident memory of a process, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return kb / 1024
}

/** A bare Node process doing nothing: what any Node host costs before our core. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] })
  await new Promise((resolve) => child.stdout.once('data', resolve))
  const rss = rssMiB(child.pid ?? 0)
  child.kill('SIGKILL')
  return rss
}

/** Start-up: `dym serve` spawn to the UI showing data from the core; idle memory. */
export const startup: Scenario = {
  name: 'startup',
  async run(): Promise<ScenarioReport> {
    const browser = await launchChromium()
    const ready: number[] = []
    const staticReady: number[] = []
    const rss: number[] = []
    const bareRss: number[] = []
    try {
      for (let i = 0; i < SAMPLES; i++) {
        const dataDir = makeTempDir('dym-bench-')
        const context = await browser.newContext()
        try {
          const t0 = performance.now()
          const host = await startHost({ dataDir, env: { DYM_LOG: 'warn' } })
          const page = await context.newPage()
          await page.goto(host.url)
          await page.getByTestId('app-version').waitFor()
          ready.push(performance.now() - t0)
          // Baseline: the same browser loading the same built files from disk, no host at all.
          const t1 = performance.now()
          const file = await context.newPage()
          await file.goto('file://' + path.join(REPO_ROOT, 'bench/pages/floor.html'))
          staticReady.push(performance.now() - t1)
          rss.push(rssMiB(host.child.pid ?? 0))
          bareRss.push(await bareNodeRss())
          await host.stop()
        } finally {
          await context.close()
          removeDir(dataDir)
        }
      }
    } finally {
      await browser.close()
    }
    return {
      scenario: 'startup',
      comparisons: [
        {
          ours: { label: 'host start to UI ready', unit: 'ms', samples: ready },
          baseline: { label: 'static page load', unit: 'ms', samples: staticReady },
          baselineLabel: 'static page from disk',
          lowerIsBetter: true
        },
        {
          ours: { label: 'headless host memory at idle (RSS)', unit: 'MiB', samples: rss },
          baseline: { label: 'bare node', unit: 'MiB', samples: bareRss },
          baselineLabel: 'bare Node process',
          lowerIsBetter: true
        }
      ],
      errors: []
    }
  }
}
