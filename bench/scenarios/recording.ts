import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CoreClient } from '../../test/support/core-client'
import { startHost } from '../../test/support/host-process'
import { sliceEvenly, webmFixture } from '../../test/support/media'
import { median } from '../lib/stats'
import { cpuSeconds, sampleRss } from '../lib/proc-stats'
import type { Comparison, Figure, Scenario, ScenarioReport } from '../lib/types'
import { WireClient } from '../lib/wire-client'

const here = path.dirname(fileURLToPath(import.meta.url))
const SECONDS = 120
/**
 * Feed pace as a multiple of real time. CPU per recorded minute and memory growth depend on
 * the bytes and packets that pass, not on the wall clock, and a faster feed is the harder case
 * for the queues, so 4x gives the same answers in a quarter of the time.
 * BENCH_RECORDING_PACE=1 feeds at real time.
 */
const PACE = Number(process.env.BENCH_RECORDING_PACE ?? 4)
const RUNS = Number(process.env.BENCH_RUNS ?? 1)

interface RecorderRun {
  cpuSecondsPerMinute: number
  memoryGrowthMiB: number
}

/** Feeds the slices at PACE, measuring the receiving process (and its ffmpeg, when it has one). */
async function feed(
  label: string,
  send: (seq: number, bytes: Uint8Array) => Promise<unknown>,
  pid: number,
  slices: Uint8Array[],
  ffmpegPid: () => number | null
): Promise<RecorderRun> {
  const rss = sampleRss(pid)
  const cpu0 = cpuSeconds(pid) ?? 0
  let ffmpegCpu = 0
  let warm = 0
  const started = Date.now()
  for (let seq = 0; seq < slices.length; seq++) {
    await send(seq, slices[seq] as Uint8Array)
    const f = ffmpegPid()
    if (f !== null) ffmpegCpu = cpuSeconds(f) ?? ffmpegCpu
    if (seq === 9) warm = Date.now() // growth is counted after 10 s of recording: start-up is not growth
    await new Promise((r) => setTimeout(r, Math.max(0, started + ((seq + 1) * 1000) / PACE - Date.now())))
  }
  const end = Date.now()
  const cpu = (cpuSeconds(pid) ?? 0) - cpu0 + ffmpegCpu
  const samples = rss.stop()
  // Growth = what stays: RSS over the last part of the recording against RSS just after the
  // warm-up, each a median so one garbage-collection sawtooth does not count as growth.
  const window = Math.max(2000, (end - started) / 10)
  const early = median(samples.filter((s) => s.at >= warm && s.at < warm + window).map((s) => s.mib))
  const late = median(samples.filter((s) => s.at >= end - window).map((s) => s.mib))
  const peak = Math.max(...samples.map((s) => s.mib))
  console.log(
    `  ${label}: CPU ${cpu.toFixed(1)} s (ffmpeg ${ffmpegCpu.toFixed(1)} s); RSS ${samples[0]?.mib.toFixed(0)} MiB at start, ${early.toFixed(0)} after 10 s, ${late.toFixed(0)} at the end, peak ${peak.toFixed(0)}`
  )
  return { cpuSecondsPerMinute: cpu / (SECONDS / 60), memoryGrowthMiB: late - early }
}

async function ours(
  slices: Uint8Array[],
  work: string
): Promise<RecorderRun & { host: Awaited<ReturnType<typeof startHost>>; client: CoreClient; name: string }> {
  const dataDir = path.join(work, 'data')
  const host = await startHost({ dataDir, env: { DYM_RECORDINGS_DIR: path.join(work, 'recordings'), DYM_LOG: 'warn' } })
  const client = await CoreClient.connect(host)
  const pid = host.child.pid as number
  const state = await client.invoke('recording.start', { title: 'Bench', participants: [{ id: 'a', name: 'alice.3bot' }] })
  const markerDir = path.join(dataDir, 'recorder', 'active')
  const ffmpegPid = () => {
    try {
      const name = readdirSync(markerDir).find((n) => n.endsWith('.json'))
      return name ? (JSON.parse(readFileSync(path.join(markerDir, name), 'utf8')) as { ffmpegPid: number }).ffmpegPid : null
    } catch {
      return null
    }
  }
  const run = await feed(
    'ours (dym serve + ffmpeg)',
    (seq, bytes) => client.invoke('recording.chunk', { recordingId: state.recordingId, seq, bytes }),
    pid,
    slices,
    ffmpegPid
  )
  await client.invoke('recording.stop', { recordingId: state.recordingId })
  return { ...run, host, client, name: state.name }
}

async function baseline(slices: Uint8Array[], work: string): Promise<RecorderRun> {
  const child = spawn(process.execPath, [path.join(here, '../lib/in-memory-recorder.mjs'), path.join(work, 'in-memory.webm')], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString())
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)))
  })
  const client = await WireClient.connect(`ws://127.0.0.1:${port}/`)
  try {
    const run = await feed(
      'baseline (in memory)',
      (seq, bytes) => client.invoke('recording.chunk', { recordingId: 'baseline', seq, bytes }),
      child.pid as number,
      slices,
      () => null
    )
    await client.invoke('recording.stop', {})
    return run
  } finally {
    client.close()
    child.kill()
  }
}

/** Seconds of ffmpeg with its default x264 settings (preset medium), at the same low priority as our export. */
async function defaultFfmpegExport(input: string, output: string): Promise<number> {
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'nice',
      [
        '-n',
        '10',
        'ffmpeg',
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-i',
        input,
        '-c:v',
        'libx264',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-y',
        output
      ],
      { stdio: 'inherit' }
    )
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`))))
  })
  return (Date.now() - started) / 1000
}

export const recordingScenario: Scenario = {
  name: 'recording',
  async run(): Promise<ScenarioReport> {
    const errors: string[] = []
    const fixture = await webmFixture({ seconds: SECONDS, width: 1280, height: 720, kbps: 2500 })
    const slices = sliceEvenly(fixture.bytes, SECONDS)
    const figures = {
      oursCpu: [] as number[],
      baseCpu: [] as number[],
      oursMem: [] as number[],
      baseMem: [] as number[],
      oursExport: [] as number[],
      baseExport: [] as number[]
    }
    for (let i = 0; i < RUNS; i++) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'dym-bench-rec-'))
      try {
        const base = await baseline(slices, work)
        figures.baseCpu.push(base.cpuSecondsPerMinute)
        figures.baseMem.push(base.memoryGrowthMiB)
        const run = await ours(slices, work)
        figures.oursCpu.push(run.cpuSecondsPerMinute)
        figures.oursMem.push(run.memoryGrowthMiB)
        // Export through the app, timed from the request to the "done" event.
        const started = Date.now()
        const { exportId } = await run.client.invoke('recording.export', { name: run.name })
        for (;;) {
          const done = run.client.eventsOf('recording.export-progress').find((p) => p.exportId === exportId && p.state !== 'running')
          if (done) {
            if (done.state !== 'done') throw new Error(`export ${done.state}: ${done.error}`)
            break
          }
          await new Promise((r) => setTimeout(r, 100))
        }
        figures.oursExport.push(SECONDS / ((Date.now() - started) / 1000))
        run.client.close()
        await run.host.stop()
        const mkv = path.join(work, 'recordings', run.name)
        figures.baseExport.push(SECONDS / (await defaultFfmpegExport(mkv, path.join(work, 'default.mp4'))))
      } catch (err) {
        errors.push(err instanceof Error ? (err.stack ?? err.message) : String(err))
      } finally {
        rmSync(work, { recursive: true, force: true })
      }
    }
    const fig = (label: string, unit: Figure['unit'], samples: number[]): Figure => ({ label, unit, samples })
    const comparisons: Comparison[] = [
      {
        ours: fig(`core + ffmpeg CPU per recorded minute (2-min 720p recording, fed at ${PACE}x)`, 'cpu-s/min', figures.oursCpu),
        baseline: fig('in-memory recorder CPU per recorded minute', 'cpu-s/min', figures.baseCpu),
        baselineLabel: 'chunks kept in memory (browser-only recorder)',
        lowerIsBetter: true
      },
      {
        ours: fig('core memory growth over a 2-min recording', 'MiB', figures.oursMem),
        baseline: fig('in-memory recorder memory growth', 'MiB', figures.baseMem),
        baselineLabel: 'chunks kept in memory (browser-only recorder)',
        lowerIsBetter: true
      },
      {
        ours: fig('MP4 export speed (x264 veryfast + AAC, nice 10)', 'x realtime', figures.oursExport),
        baseline: fig('ffmpeg defaults (x264 medium + AAC, nice 10)', 'x realtime', figures.baseExport),
        baselineLabel: 'plain ffmpeg with default settings',
        lowerIsBetter: false
      }
    ]
    return { scenario: 'recording', comparisons, errors }
  }
}
