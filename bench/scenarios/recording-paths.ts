import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { makeTempDir } from '../../test/support/host-process'
import { streamFacts } from '../../test/support/media'
import {
  clickJoin,
  closeParticipants,
  framesDecoded,
  openParticipants,
  pasteInvite,
  receivedTiles,
  receivedTilesInPage,
  startMeeting,
  type AppParticipant,
  type ReceivedTile
} from '../lib/app-meeting'
import { launchDetachableChromium, type BarePage } from '../lib/bare-page'
import { cpuSecondsOf } from '../lib/process-cpu'
import { cpuSeconds } from '../lib/proc-stats'
import { lowestPriority } from '../lib/process-priority'
import type { Comparison, Scenario, ScenarioReport } from '../lib/types'
import { launchCountedBrowser, measureMeshWindow, type MeshWindow } from './mesh-scale'

/**
 * What recording costs in a three-person call of our app, per path, against the same call not
 * recording (measured in the same meeting, between the recordings): the CPU the recording member
 * uses (her Chromium, her core and the recorder's ffmpeg) per recorded minute, the CPU of the
 * whole call per participant, and the frame rate of each other member's video in the file
 * against the rate the recorder's page received it. The per-person path keeps the senders'
 * encoded frames; the compositor decodes, draws and encodes the meeting again. Each participant
 * has a Chromium of its own (as on three machines), so the recorder's CPU is hers alone.
 *
 * The three share one machine here, though, and the call alone can take most of it; a recording
 * path that then needs more CPU than is left gets fewer frames drawn instead of more CPU, which
 * hides its cost. So the other two participants (their Chromiums and cores) run at the lowest
 * priority: the recorder's machine takes what it needs first, as a machine of her own would, and
 * the others send what they manage with the rest. Both paths are measured the same way.
 *
 * The recorder's page is measured with no DevTools session on it (bare-page.ts): Playwright
 * sets the meeting up and then lets go; the recordings and windows are driven by evaluating
 * scripts in the page. Otherwise Chromium would copy every batch the page sends to its core
 * through its browser process to Playwright, a cost of the benchmark, not of the app.
 */
const PEOPLE = 3
/**
 * The call runs in small windows at the low quality setting. At 1280x800 and medium, drawing the
 * meeting in a software canvas is slow enough that the compositor, which keeps its drawing to a
 * share of its thread, records about 1 frame a second of the 17 it receives: its extra CPU is
 * then small because it records almost nothing, and the comparison says little.
 */
const VIEWPORT = { width: 640, height: 400 }
const QUALITY = 'low'
/**
 * Measured windows per path. The windows alternate, the call alone between any two recordings
 * (call, per person, call, composed, call, ...): a path's extra CPU is its window against the
 * mean of the call windows on either side, so a machine whose load drifts over the minutes does
 * not favour the path measured first.
 */
const ROUNDS = Number(process.env.BENCH_RECORDING_ROUNDS ?? 3)
/**
 * Each window's length. The recorder's Chromium moves by a cpu-s/min or two from one window to
 * the next with the call alone (what the others manage to send varies), about what the
 * per-person path adds; longer windows average that out.
 */
const WINDOW_MS = Number(process.env.BENCH_RECORDING_WINDOW_MS ?? 30_000)
/**
 * Before the measured windows, one short recording on each path that is not measured: the first
 * recording of a page and a core pays once for what later ones reuse (code compiled, the worker
 * and the muxer started), and the figures are per recorded minute of a running recording.
 */
const WARM_UP_MS = 5_000
/** The recording member's own processes: her Chromium, her core (which muxes), the recorder's ffmpeg. */
const RECORDER_PARTS = ['recorder: browser', 'recorder: core', 'recorder: ffmpeg'] as const
/** A thread of the recorder's Chromium shows in the breakdown from this many cpu-s/min in some window. */
const THREAD_SHOWN = 0.5
const READY_MS = 60_000
const SAVE_MS = 180_000

type Path = 'tracks' | 'composed'

interface PathRun {
  window: MeshWindow
  /** frames per second the recorder's page received from the others over the window */
  receivedFps: number
  /** frames per second of the others' video in the file (per track; one composed track) */
  fileFps: number[]
}

const toast = (page: Page, text: string) => page.getByTestId('toast').filter({ hasText: text })
/** Scripts for the recorder's bare page: an element by test id; the toast with this text. */
const byTestId = (id: string) => `document.querySelector('[data-testid="${id}"]')`
const toastIn = (text: string) =>
  `Array.from(document.querySelectorAll('[data-testid="toast"]')).find((t) => t.textContent.includes(${JSON.stringify(text)}))`

async function untilDecoding(people: AppParticipant[]): Promise<void> {
  const until = performance.now() + READY_MS
  for (const p of people) {
    while ((await framesDecoded(p.page)).tiles < PEOPLE - 1) {
      if (performance.now() > until) throw new Error(`a page did not decode video from ${PEOPLE - 1} others within ${READY_MS} ms`)
      await p.page.waitForTimeout(250) // polling a real state (frames decoded)
    }
  }
}

/** Alice records in `via` while `during` runs; the others agree when asked. Answers the others' video fps in the file. */
async function record<T>(
  alice: BarePage,
  others: AppParticipant[],
  recordingsDir: string,
  via: Path,
  during: () => Promise<T>
): Promise<{ result: T; fileFps: number[] }> {
  await alice.evaluate(`localStorage.setItem('dym.recording.path', ${JSON.stringify(via)})`)
  await alice.evaluate(`${byTestId('control-record')}.click()`)
  await alice.waitFor(byTestId('my-recording-elapsed'), 30_000, 'the recording has not started')
  if (via === 'tracks')
    for (const p of others)
      await toast(p.page, 'is recording this meeting').getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })
  const used = await alice.evaluate<string>("window.dymRecorder.path ?? 'composed'")
  if (used !== via) throw new Error(`asked for the ${via} path, the recorder used ${used}`)
  const result = await during()
  await alice.evaluate(`${byTestId('control-record')}.click()`)
  const saved = toastIn('Recording saved as')
  await alice.waitFor(saved, SAVE_MS, 'the recording was not saved')
  const name = /Recording saved as (\S+\.mkv)/.exec(await alice.evaluate<string>(`${saved}.textContent`))?.[1]
  if (!name) throw new Error('no recording name in the toast')
  await alice.waitFor(`!${saved}`, 30_000).catch(() => undefined)
  const file = path.join(recordingsDir, name)
  const video = (await streamFacts(file)).filter((s) => s.codec_type === 'video' && s.title !== 'Alice')
  rmSync(file, { force: true })
  const fps = (s: (typeof video)[number]) => (s.packets - 1) / Math.max(0.001, s.last - s.first)
  return { result, fileFps: video.map(fps) }
}

/** One measured recording window in `via`. */
async function recordWindow(
  alice: BarePage,
  others: AppParticipant[],
  recordingsDir: string,
  via: Path,
  measure: () => Promise<MeshWindow>
): Promise<PathRun> {
  const { result: window, fileFps } = await record(alice, others, recordingsDir, via, measure)
  // The window's tiles come page by page: the recorder's page first, one per other member.
  const mine = window.tiles.slice(0, PEOPLE - 1)
  return { window, receivedFps: mine.reduce((sum, t) => sum + t.fps, 0) / mine.length, fileFps }
}

export const recordingPaths: Scenario = {
  name: 'recording-paths',
  async run(): Promise<ScenarioReport> {
    const errors: string[] = []
    const recordingsDir = makeTempDir('dym-bench-recordings-')
    const browsers: Array<Awaited<ReturnType<typeof launchCountedBrowser>>> = []
    let people: AppParticipant[] = []
    const recorderChromium = await launchDetachableChromium(VIEWPORT)
    /** in the order measured: the call alone, then a path, then the call alone, ... */
    const windows: Array<{ via: Path | 'call'; window: MeshWindow; run?: PathRun }> = []
    /** the recorder's Chromium per window, by process type and thread name (cpu-s/min) */
    const recorderThreads = new Map<MeshWindow, Record<string, number>>()
    try {
      browsers.push(recorderChromium)
      for (let i = 1; i < PEOPLE; i++) browsers.push(await launchCountedBrowser())
      people = await openParticipants(
        browsers.map((b) => b.browser),
        PEOPLE,
        {
          probe: false,
          env: (i) => (i === 0 ? { DYM_RECORDINGS_DIR: recordingsDir } : undefined),
          viewport: VIEWPORT,
          inDefaultContext: (i) => i === 0
        }
      )
      for (const p of people) await p.page.evaluate(`window.dym.invoke('settings.update', { videoQuality: '${QUALITY}' })`)
      const invite = await startMeeting(people[0]!.page, 'Recording bench')
      for (const p of people.slice(1)) {
        await pasteInvite(p.page, invite)
        await clickJoin(p.page)
      }
      await untilDecoding(people)
      await recorderChromium.detach()
      const alice = await recorderChromium.page(people[0]!.host.origin)
      const core = (p: AppParticipant) => cpuSeconds(p.host.child.pid ?? 0) ?? 0
      const others = people.slice(1)
      const othersLowest = () =>
        lowestPriority((cmd) => browsers.slice(1).some((b) => b.owns(cmd)) || others.some((p) => cmd.includes(p.host.dataDir)))
      const measure = async () => {
        othersLowest() // again before each window: it also catches threads and processes made since
        const threads0 = browsers[0]!.cpuByThread()
        const t0 = performance.now()
        const window = await measureMeshWindow(
          [alice, ...others.map((p) => p.page)],
          {
            [RECORDER_PARTS[0]]: browsers[0]!.cpuSeconds,
            [RECORDER_PARTS[1]]: () => core(people[0]!),
            [RECORDER_PARTS[2]]: () => cpuSecondsOf((cmd) => cmd.includes('ffmpeg') && cmd.includes(recordingsDir)),
            'others: browsers': () => browsers.slice(1).reduce((sum, b) => sum + b.cpuSeconds(), 0),
            'others: cores': () => others.reduce((sum, p) => sum + core(p), 0)
          },
          (p) => (p === alice ? alice.evaluate<ReceivedTile[]>(`(${receivedTilesInPage.toString()})()`) : receivedTiles(p as Page)),
          WINDOW_MS
        )
        const perMinute = 60_000 / (performance.now() - t0)
        const threads1 = browsers[0]!.cpuByThread()
        recorderThreads.set(
          window,
          Object.fromEntries(Object.entries(threads1).map(([name, v]) => [name, (v - (threads0[name] ?? 0)) * perMinute]))
        )
        return window
      }
      othersLowest()
      for (const via of ['tracks', 'composed'] as const)
        await record(alice, others, recordingsDir, via, () => new Promise((resolve) => setTimeout(resolve, WARM_UP_MS)))
      windows.push({ via: 'call', window: await measure() })
      for (let r = 0; r < ROUNDS; r++)
        for (const via of ['tracks', 'composed'] as const) {
          try {
            const run = await recordWindow(alice, others, recordingsDir, via, measure)
            windows.push({ via, window: run.window, run })
          } catch (err) {
            errors.push(`recording via ${via}: ${err instanceof Error ? err.message : String(err)}`)
          }
          windows.push({ via: 'call', window: await measure() })
        }
    } catch (err) {
      errors.push(`the meeting: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      await closeParticipants(people)
      await Promise.allSettled(browsers.slice(1).map((b) => b.browser.close()))
      await recorderChromium.close()
      rmSync(recordingsDir, { recursive: true, force: true })
    }
    const calls = windows.flatMap((w) => (w.via === 'call' ? [w.window.cpu] : []))
    const comparisons: Comparison[] = []
    for (const via of ['tracks', 'composed'] as const) {
      const runs = windows.flatMap((w) => (w.via === via && w.run ? [w.run] : []))
      const what = via === 'tracks' ? 'per person (encoded frames)' : 'composed (compositor)'
      comparisons.push({
        ours: { label: `recording ${what}, 3 people: CPU per participant`, unit: 'cpu-s/min', samples: runs.map((r) => r.window.cpu) },
        baseline: { label: 'the same call, not recording', unit: 'cpu-s/min', samples: calls },
        baselineLabel: 'the call alone',
        lowerIsBetter: true
      })
      comparisons.push({
        ours: { label: `recording ${what}: others' video in the file`, unit: 'fps', samples: runs.flatMap((r) => r.fileFps) },
        baseline: { label: "others' video received by the recorder's page", unit: 'fps', samples: runs.map((r) => r.receivedFps) },
        baselineLabel: 'what the recorder received',
        lowerIsBetter: false
      })
    }
    // What a path adds: its window against the mean of the call windows on either side.
    const extra = (via: Path, cpuOf: (w: MeshWindow) => number) =>
      windows.flatMap((w, i) => {
        const [before, after] = [windows[i - 1], windows[i + 1]]
        if (w.via !== via || before?.via !== 'call' || after?.via !== 'call') return []
        return [cpuOf(w.window) - (cpuOf(before.window) + cpuOf(after.window)) / 2]
      })
    // The measure: what recording adds on the recording member's machine, per recorded minute.
    const recorder = (w: MeshWindow) => RECORDER_PARTS.reduce((sum, part) => sum + (w.cpuPerMinute[part] ?? 0), 0)
    comparisons.push({
      ours: { label: "recording per person: CPU added on the recorder's machine", unit: 'cpu-s/min', samples: extra('tracks', recorder) },
      baseline: { label: 'recording composed: CPU added there', unit: 'cpu-s/min', samples: extra('composed', recorder) },
      baselineLabel: "the compositor's extra",
      lowerIsBetter: true
    })
    comparisons.push({
      ours: {
        label: 'recording per person: CPU added to the call, per participant',
        unit: 'cpu-s/min',
        samples: extra('tracks', (w) => w.cpu)
      },
      baseline: { label: 'recording composed: CPU added to the call', unit: 'cpu-s/min', samples: extra('composed', (w) => w.cpu) },
      baselineLabel: "the compositor's extra",
      lowerIsBetter: true
    })
    const stages: Record<string, number[]> = {}
    for (const { via, window } of windows)
      for (const [part, v] of Object.entries(window.cpuPerMinute)) (stages[`${via}: ${part}`] ??= []).push(v)
    // Where in the recorder's Chromium the CPU goes: threads that used a noticeable share.
    const threadStages: Record<string, number[]> = {}
    const names = new Set([...recorderThreads.values()].flatMap((t) => Object.keys(t).filter((k) => (t[k] ?? 0) >= THREAD_SHOWN)))
    for (const { via, window } of windows)
      for (const name of [...names].sort()) (threadStages[`${via}: ${name}`] ??= []).push(recorderThreads.get(window)?.[name] ?? 0)
    return {
      scenario: 'recording-paths',
      comparisons,
      errors,
      breakdowns: [
        { label: 'CPU by process group while recording', unit: 'cpu-s per minute', stages },
        { label: "the recorder's Chromium by process and thread", unit: 'cpu-s per minute', stages: threadStages }
      ]
    }
  }
}
