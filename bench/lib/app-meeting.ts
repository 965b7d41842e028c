import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { makeTempDir, removeDir, startHost, type HostProcess } from '../../test/support/host-process'

/**
 * Our app as a participant in a benchmark: a real `dym serve` (loopback only) and a Chromium
 * page on it, signed in as a guest, with `dym.debug` on (so `window.dymCall` exists) and the
 * timing probe (bench/pages/app-probe.js) injected. The steps use the same test ids as
 * test/support/meeting-steps.ts, which cannot be imported here (it needs the vitest runner).
 */
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pages', 'app-probe.js')
const STEP_TIMEOUT = 30_000

export interface AppParticipant {
  host: HostProcess
  context: BrowserContext
  page: Page
  /** console errors and page errors, for failure messages */
  errors: string[]
}

/**
 * Start `count` hosts in parallel and open a signed-in home screen on each (all before any timing).
 * `browser` may be one Chromium for everyone or one per participant (taken in turn): pages of one
 * Chromium share its one fake camera, which stalls every page's video for a second when a call
 * starts on one of them; a real participant has a camera of its own.
 */
export async function openParticipants(
  browser: Browser | readonly Browser[],
  count: number,
  options: {
    probe?: boolean
    env?: (i: number) => Record<string, string> | undefined
    /** each page's window (default 1280x800) */
    viewport?: { width: number; height: number }
    /**
     * Participants whose page opens in their browser's default context (with the browser's own
     * window size), not a new one: a page that must outlive Playwright's connection
     * (bare-page.ts).
     */
    inDefaultContext?: (i: number) => boolean
  } = {}
): Promise<AppParticipant[]> {
  const names = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank']
  const browsers = Array.isArray(browser) ? browser : [browser as Browser]
  const opened = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      openParticipant(browsers[i % browsers.length]!, names[i] ?? `P${i}`, {
        probe: options.probe ?? true,
        env: options.env?.(i),
        viewport: options.viewport,
        inDefaultContext: options.inDefaultContext?.(i) ?? false
      })
    )
  )
  const ok = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = opened.find((r) => r.status === 'rejected')
  if (failed) {
    await closeParticipants(ok)
    throw failed.reason
  }
  return ok
}

async function openParticipant(
  browser: Browser,
  name: string,
  options: { probe: boolean; env?: Record<string, string>; viewport?: { width: number; height: number }; inDefaultContext: boolean }
): Promise<AppParticipant> {
  const { probe, env = {}, viewport = { width: 1280, height: 800 } } = options
  const dataDir = makeTempDir('dym-bench-')
  // A loaded machine can take over 20 s to start a host; that is before the clock, so wait longer.
  // With the probe, the core writes its side of each join too (join-trace lines on stderr, same clock).
  const host = await startHost({ dataDir, env: { DYM_LOG: 'warn', ...(probe ? { DYM_JOIN_TRACE: '1' } : {}), ...env }, timeoutMs: 60_000 })
  const context = options.inDefaultContext ? browser.contexts()[0] : await browser.newContext({ viewport })
  if (!context) throw new Error('the browser has no default context')
  await context.grantPermissions(['camera', 'microphone'], { origin: host.origin })
  if (probe) await context.addInitScript({ path: PROBE })
  await context.addInitScript(() =>
    (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('dym.debug', '1')
  )
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()))
  await page.goto(host.url)
  const home = page.getByTestId('new-meeting-button')
  const guest = page.getByRole('button', { name: 'Continue as guest' })
  await home.or(guest).first().waitFor({ timeout: STEP_TIMEOUT })
  if (!(await home.isVisible())) {
    await page.getByLabel('Your name').fill(name)
    await guest.click()
    await home.waitFor({ timeout: STEP_TIMEOUT })
  }
  return { host, context, page, errors }
}

export async function closeParticipants(participants: AppParticipant[]): Promise<void> {
  await Promise.allSettled(participants.map((p) => p.context.close()))
  await Promise.allSettled(participants.map((p) => p.host.stop()))
  for (const p of participants) removeDir(p.host.dataDir)
}

/** Start a meeting from the home screen (through pre-join) and return its invite. */
export async function startMeeting(page: Page, title: string): Promise<string> {
  await page.getByTestId('new-meeting-title').fill(title)
  await page.getByTestId('new-meeting-button').click()
  await page.getByTestId('join-button').waitFor({ timeout: STEP_TIMEOUT })
  await page.getByTestId('join-button').click()
  await page.getByTestId('meeting').waitFor({ timeout: STEP_TIMEOUT })
  await page.getByTestId('control-invite').click()
  const invite = await page.locator('.invite-pop [data-testid="invite-text"]').inputValue()
  await page.keyboard.press('Escape')
  return invite
}

/**
 * Paste the invite on the home screen and go to pre-join; resolves once the pre-join screen is
 * ready to join (its Join button enabled and the camera preview playing).
 */
export async function pasteInvite(page: Page, invite: string): Promise<void> {
  await page.getByTestId('join-invite-input').fill(invite)
  await page.getByTestId('join-invite-button').click()
  await page.locator('[data-testid="join-button"]:enabled').waitFor({ timeout: STEP_TIMEOUT })
  await page.waitForFunction(
    () => {
      const v = (globalThis as unknown as { document: { querySelector(s: string): { readyState: number } | null } }).document.querySelector(
        '[data-testid="prejoin-preview"]'
      )
      return v !== null && v.readyState >= 2
    },
    undefined,
    { timeout: STEP_TIMEOUT, polling: 50 }
  )
}

/**
 * Every video on these pages presents `frames` new frames. The participants' cameras are one
 * fake capture device in one Chromium, which restarts when another page opens it: every page's
 * picture stops for one or two seconds. A real participant has a camera of its own, so a
 * benchmark waits that out before it starts its clock.
 */
export async function videosFlowing(pages: Page[], frames = 5): Promise<void> {
  type Video = { srcObject: unknown; requestVideoFrameCallback(cb: () => void): number }
  type Win = { document: { querySelectorAll(s: string): ArrayLike<Video> }; setTimeout(cb: () => void, ms: number): number }
  await Promise.all(
    pages.map((page) =>
      page.evaluate(
        async ([n, ms]) => {
          const w = globalThis as unknown as Win
          const videos = Array.from(w.document.querySelectorAll('video')).filter((v) => v.srcObject !== null)
          const flowing = (v: Video) =>
            new Promise<void>((resolve) => {
              let left = n
              const tick = () => (--left <= 0 ? resolve() : v.requestVideoFrameCallback(tick))
              v.requestVideoFrameCallback(tick)
            })
          await Promise.race([
            Promise.all(videos.map(flowing)),
            new Promise((_, reject) => w.setTimeout(() => reject(new Error(`video did not flow within ${ms} ms`)), ms))
          ])
        },
        [frames, STEP_TIMEOUT] as const
      )
    )
  )
}

/** Click the pre-join Join button: the click the join benchmark times from. */
export async function clickJoin(page: Page): Promise<void> {
  await page.getByTestId('join-button').click()
}

/** One remote camera tile as this page receives it: frames decoded so far and the decoded size now. */
export interface ReceivedTile {
  key: string
  frames: number
  width: number
  height: number
}

/**
 * Every remote camera tile of this page, from WebRTC getStats through `window.dymCall`: frames
 * decoded so far and the size they arrive at.
 */
export async function receivedTiles(page: Page): Promise<ReceivedTile[]> {
  return page.evaluate(receivedTilesInPage)
}

/** receivedTiles' script, run in the page (also by a bare page, as `(${receivedTilesInPage})()`). */
export async function receivedTilesInPage(): Promise<ReceivedTile[]> {
  type Stat = { type: string; kind?: string; framesDecoded?: number; frameWidth?: number; frameHeight?: number }
  type Stats = { forEach(cb: (s: Stat) => void): void }
  type Win = {
    document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> }
    dymCall?: { mesh: { peerConnection(id: string): { getStats(): Promise<Stats> } | null } | null }
  }
  const w = globalThis as unknown as Win
  const out: ReceivedTile[] = []
  for (const tile of Array.from(w.document.querySelectorAll('[data-testid="tile"][data-role="camera"]:not([data-self])'))) {
    const key = tile.getAttribute('data-peer-id') ?? ''
    const pc = w.dymCall?.mesh?.peerConnection(key)
    if (!pc) continue
    // The camera is the video receiver with the most frames (a screen is another one).
    let best: Stat | null = null
    ;(await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded ?? 0) >= (best?.framesDecoded ?? 0)) best = s
    })
    const b = best as Stat | null
    out.push({ key, frames: b?.framesDecoded ?? 0, width: b?.frameWidth ?? 0, height: b?.frameHeight ?? 0 })
  }
  return out
}

/** Video frames decoded so far over all remote camera tiles, and how many tiles have decoded any. */
export async function framesDecoded(page: Page): Promise<{ total: number; tiles: number }> {
  const tiles = await receivedTiles(page)
  return { total: tiles.reduce((sum, t) => sum + t.frames, 0), tiles: tiles.filter((t) => t.frames > 0).length }
}

export interface ProbeTile {
  listedAt: number
  videoAt: number | null
  frameAt: number | null
}
export interface ProbePc {
  createdAt: number
  connectedAt: number | null
  trackAt: number | null
}
export interface ProbeState {
  clickAt: number | null
  meetingAt: number | null
  tiles: Record<string, ProbeTile>
  log: Array<{ at: number; what: string; peer: string | null }>
}
export interface ProbeReport extends ProbeState {
  selfId: string
  pcs: Record<string, ProbePc | null>
}

/** What the probe saw on one page, with each remote member's peer connection times. */
export async function probeReport(page: Page): Promise<ProbeReport> {
  return page.evaluate(() => {
    type Win = {
      __bench: ProbeState & { pcTimes(pc: unknown): ProbePc | null }
      dymCall?: { selfId: string; mesh: { peerConnection(id: string): unknown } | null }
    }
    const w = globalThis as unknown as Win
    const pcs: Record<string, ProbePc | null> = {}
    for (const id of Object.keys(w.__bench.tiles)) pcs[id] = w.__bench.pcTimes(w.dymCall?.mesh?.peerConnection(id) ?? null)
    return {
      clickAt: w.__bench.clickAt,
      meetingAt: w.__bench.meetingAt,
      tiles: JSON.parse(JSON.stringify(w.__bench.tiles)) as Record<string, ProbeTile>,
      log: w.__bench.log,
      selfId: w.dymCall?.selfId ?? '',
      pcs
    }
  })
}
