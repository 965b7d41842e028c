import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import { Harness, type Peer } from '../support/harness'
import { recordingFacts } from '../support/media'
import {
  debugOn,
  ensureSignedIn,
  expectLiveRemoteTiles,
  joinMeeting,
  untilRecorded,
  recordedSeconds,
  startMeeting
} from '../support/meeting-steps'

/**
 * Issue 6's acceptance over the real core, on the compositor path (see forceCompositor): two people in a call (headless hosts, libp2p, real
 * Chromium with fake camera and mic); Alice records ~10 s from the meeting's record button and
 * stops; the file is checked with ffprobe; Bob saw the indicator and the toast while it ran, and
 * Carol, who joins during the recording, sees the indicator too (and ends up in the file).
 * Then: leaving the meeting mid-recording still leaves a complete file, and ffmpeg dying
 * mid-recording is told in words and keeps what was recorded.
 */
let harness: Harness
afterEach(async () => harness?.close())

/** The size the meeting records at (MEETING_RECORDING in the meeting screen). */
const RECORDING_SIZE = { width: 1280, height: 720 }

function toast(page: Page, text: string) {
  return page.getByTestId('toast').filter({ hasText: text })
}

describe('recording a call (real core, real Chromium, real ffmpeg)', () => {
  it('one of two records 10 s: a 1280x720 file with sound naming both; the others see the indicator and toast while it runs, a late joiner too', async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-call-recordings-')
    const t0 = Date.now()
    const timings: string[] = []
    const mark = (what: string) => timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`)
    onTestFinished(() => console.log(`timings: ${timings.join(', ')}`))

    // One after the other: three hosts starting at once can starve a loaded 2-core machine.
    const alice = await harness.addPeer({ env: { DYM_RECORDINGS_DIR: recordingsDir } })
    const bob = await harness.addPeer()
    const carol = await harness.addPeer()
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob'), ensureSignedIn(carol.page, 'Carol')])
    // Everyone on "low" video (640x360), as someone on a slow machine would set it: three
    // Chromium pages each encoding and decoding 960x540 plus a 720p recording saturate these two
    // cores, and the compositor then draws 1-2 frames a second (3 on "low"). The subject here is
    // the recording, not the call's picture.
    for (const p of [alice.page, bob.page, carol.page]) await p.evaluate(`window.dym.invoke('settings.update', { videoQuality: 'low' })`)
    const invite = await startMeeting(alice.page, 'Recorded sync')
    await joinMeeting(bob.page, invite)
    for (const p of [alice.page, bob.page]) await expectLiveRemoteTiles(p, 1, 20_000)
    expect(await bob.page.getByTestId('recording-indicator').count()).toBe(0)
    // Carol waits on the pre-join screen (not in the room yet: that is the join click).
    await carol.page.getByTestId('join-invite-input').fill(invite)
    await carol.page.getByTestId('join-invite-button').click()
    await carol.page.getByTestId('join-button').waitFor({ timeout: 20_000 })
    mark('in the call')

    await debugOn(alice.page)
    await forceCompositor(alice.page)
    // Alice records; she sees her own clock once the core has ffmpeg running.
    await alice.page.getByTestId('control-record').click()
    await alice.page.getByTestId('my-recording-elapsed').waitFor({ timeout: 20_000 })
    mark('recording')
    // Stop when her recorder says 10 s have been recorded, and not before Carol has clicked
    // Join (told by the test, below): watched and clicked inside her page (no test round trip
    // adds to the 10 s). Not awaited yet: the others are checked meanwhile.
    const stopped = alice.page.evaluate(`(async () => {
      const deadline = Date.now() + 120000
      const startedAt = window.dymRecorder.status.startedAt
      const seconds = () => (Date.now() - startedAt) / 1000
      let last = Date.now()
      let longestStallMs = 0 // how long this page's main thread was kept from running us
      while (seconds() < 10 || !window.dymTestCarolJoining) {
        if (Date.now() > deadline) throw new Error('the recording never reached 10 s')
        await new Promise((r) => setTimeout(r, 20))
        longestStallMs = Math.max(longestStallMs, Date.now() - last)
        last = Date.now()
      }
      const compositor = window.dymRecorder.compositor
      const drawn = { frames: compositor.framesDrawn, costMs: compositor.drawCostMs, seconds: seconds(), longestStallMs }
      document.querySelector('[data-testid="control-record"]').click()
      return { at: Date.now(), drawn }
    })()`) as Promise<{ at: number; drawn: { frames: number; costMs: number; seconds: number; longestStallMs: number } }>
    let stoppedAt = 0
    void stopped.then((r) => (stoppedAt = r.at)).catch(() => undefined)

    // Bob is told: the red indicator naming Alice, and a toast.
    const bobIndicator = bob.page.getByTestId('recording-indicator')
    await bobIndicator.waitFor({ timeout: 8000 })
    expect(await bobIndicator.textContent()).toContain('Recording by Alice')
    await toast(bob.page, 'Alice started recording this meeting').waitFor({ timeout: 8000 })
    mark('Bob told')

    // Carol joins while it runs and sees the indicator too: she missed the notice, the room
    // tells newcomers. (Until Alice's "stopped" notice, which follows the file's finalising.)
    await carol.page.getByTestId('join-button').click()
    await alice.page.evaluate('window.dymTestCarolJoining = true')
    expect(stoppedAt, 'Carol joined while the recording ran').toBe(0)
    await carol.page.getByTestId('meeting').waitFor({ timeout: 20_000 })
    mark('Carol in the meeting')
    await carol.page.getByTestId('recording-indicator').waitFor({ timeout: 10_000 })
    mark('Carol told')
    expect(await carol.page.getByTestId('recording-indicator').textContent()).toContain('Recording by Alice')
    // Whether Alice's meeting (so her recording) had Carol before the stop: then the file names her.
    const carolInTime =
      stoppedAt === 0 && (await alice.page.locator('[data-testid="tile"][data-role="camera"]:not([data-self])').count()) === 2

    const { drawn } = await stopped
    mark('stop clicked')
    const saved = toast(alice.page, 'Recording saved as')
    await saved.waitFor({ timeout: 30_000 })
    mark('saved')
    const name = /Recording saved as (\S+\.mkv)/.exec((await saved.textContent()) ?? '')?.[1] ?? ''
    expect(name).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}_Recorded-sync\.mkv$/)
    // When it stops, the others' indicators go away; Alice's own badge too.
    await Promise.all([
      ...[bob.page, carol.page].map((p) => p.getByTestId('recording-indicator').waitFor({ state: 'detached', timeout: 10_000 })),
      toast(bob.page, 'Alice stopped recording').waitFor({ timeout: 10_000 })
    ])
    expect(await alice.page.getByTestId('my-recording').count()).toBe(0)
    expect(await alice.page.getByTestId('recording-problem').count()).toBe(0)

    const facts = await recordingFacts(path.join(recordingsDir, name))
    const video = facts.timeline.find((t) => t.type === 'video')
    const fps = video ? (video.packets - 1) / Math.max(0.001, video.last - video.first) : 0
    // The compositor's own rate (frames drawn on the canvas) against what the encoder kept (the file).
    console.log(
      `compositor: ${drawn.frames} frames drawn in ${drawn.seconds.toFixed(2)} s (${(drawn.frames / drawn.seconds).toFixed(1)} fps), ${drawn.costMs.toFixed(1)} ms per frame; the page's longest stall ${drawn.longestStallMs} ms`
    )
    console.log(
      `recorded ${facts.durationSec} s (plays ${facts.playableSec} s), mean volume ${facts.meanVolumeDb} dB, video ${fps.toFixed(1)} fps in the file, participants "${facts.participants}"; timeline ${JSON.stringify(facts.timeline)}`
    )
    expect(facts).toMatchObject({ videoCodec: 'vp8', audioCodec: 'opus', ...RECORDING_SIZE, title: 'Recorded sync' })
    // As long as she recorded: about the 10 s her clock counted before the click, and no longer
    // than MediaRecorder ran. That runs a little past the click, because the last frame is drawn
    // and given time to reach the encoder (up to 1.4 s, more on a stalled page).
    const { startedAt, endedAt } = (await alice.page.evaluate('window.dymRecorder.status')) as { startedAt: number; endedAt: number }
    const recordedSec = (endedAt - startedAt) / 1000
    console.log(`MediaRecorder ran ${recordedSec.toFixed(2)} s: stopped ${(recordedSec - drawn.seconds).toFixed(2)} s after the click`)
    expect(facts.durationSec).toBeGreaterThanOrEqual(8.5)
    expect(recordedSec).toBeGreaterThanOrEqual(drawn.seconds)
    expect(facts.durationSec).toBeLessThanOrEqual(recordedSec + 0.5)
    expect(facts.playableSec).toBeGreaterThanOrEqual(Math.min(8.5, (facts.durationSec ?? 0) - 1.5))
    expect(facts.meanVolumeDb).toBeGreaterThan(-60)
    const participants = (facts.participants ?? '').split(', ')
    expect(participants).toEqual(expect.arrayContaining(['Alice', 'Bob']))
    // Picked up mid-recording through setSources, so she is in the file's metadata too.
    if (carolInTime) expect(participants).toContain('Carol')
    else console.log('Carol reached Alice only after the stop; her name in the file was not checked')

    expect([...alice.pageErrors, ...bob.pageErrors, ...carol.pageErrors]).toEqual([])
  }, 240_000)

  it('leaving the meeting while recording keeps the file: finalised before the leave, listed, playable, and the other is told it stopped', async () => {
    const { alice, bob, recordingsDir } = await twoInARecordedCall('Left while recording')
    await untilRecorded(alice.page, 4)
    await alice.page.getByTestId('control-leave').click()
    await alice.page.getByTestId('left-meeting-title').waitFor({ timeout: 30_000 })
    // Bob is told it stopped (the recorder said so before leaving), and sees Alice go.
    await bob.page.getByTestId('recording-indicator').waitFor({ state: 'detached', timeout: 10_000 })

    // The file is complete on Alice's disk and listed on her recordings screen.
    await alice.page.getByTestId('nav-recordings').click()
    const card = alice.page.getByRole('listitem', { name: 'Left while recording' })
    await card.waitFor({ timeout: 15_000 })
    const names = readdirSync(recordingsDir).filter((f) => f.endsWith('.mkv'))
    expect(names).toHaveLength(1)
    const facts = await recordingFacts(path.join(recordingsDir, names[0]!))
    console.log(`left while recording: file ${facts.durationSec} s (plays ${facts.playableSec} s), participants "${facts.participants}"`)
    expect(facts).toMatchObject({ videoCodec: 'vp8', audioCodec: 'opus', title: 'Left while recording' })
    expect(facts.durationSec).toBeGreaterThanOrEqual(3)
    expect(facts.playableSec).toBeGreaterThanOrEqual(Math.min(3, (facts.durationSec ?? 0) - 1.5))
    expect(facts.meanVolumeDb).toBeGreaterThan(-60)
    expect([...alice.pageErrors, ...bob.pageErrors]).toEqual([])
  }, 180_000)

  it("when ffmpeg dies mid-recording the recorder is told in words, the other person's indicator goes, and what was recorded is kept", async () => {
    const { alice, bob } = await twoInARecordedCall('Broken take')
    // Kill ffmpeg once it has written 4 s (its own progress report): that much must survive.
    const savedSec = (await savedAtLeast(alice.page, 4000)) / 1000
    const marker = activeMarker(alice.host.dataDir)
    const recordedSec = await recordedSeconds(alice.page)
    process.kill(marker.ffmpegPid, 'SIGKILL')

    // Alice reads what happened; Bob's indicator goes; the call goes on.
    const problem = alice.page.getByTestId('recording-problem')
    await problem.waitFor({ timeout: 15_000 })
    expect(await problem.textContent()).toMatch(
      /The recording stopped: ffmpeg was stopped \(SIGKILL\).*what was recorded until then is saved/
    )
    await bob.page.getByTestId('recording-indicator').waitFor({ state: 'detached', timeout: 10_000 })
    expect(await alice.page.getByTestId('my-recording').count()).toBe(0)
    await expectLiveRemoteTiles(bob.page, 1, 20_000)

    // The seconds before the kill are a playable file, listed on her recordings screen.
    await expect
      .poll(() => existsSync(marker.file) && readdirSync(path.join(alice.host.dataDir, 'recorder', 'active')).length === 0, {
        timeout: 20_000,
        message: 'the recording is finished and its marker gone'
      })
      .toBe(true)
    const facts = await recordingFacts(marker.file)
    console.log(
      `ffmpeg killed ${recordedSec} s into the recording by the clock, with ${savedSec.toFixed(2)} s written by ffmpeg: file ${facts.durationSec} s (plays ${facts.playableSec} s)`
    )
    // What ffmpeg reported written is on disk; the video's last frame may be up to a second
    // before that (the compositor draws at least one frame a second).
    expect(facts.playableSec).toBeGreaterThanOrEqual(savedSec - 1)
    await alice.page.getByTestId('control-leave').click()
    await alice.page.getByTestId('nav-recordings').click()
    await alice.page.getByRole('listitem', { name: 'Broken take' }).waitFor({ timeout: 15_000 })
  }, 180_000)
})

/**
 * Alice and Bob in a call on "low" video (see the first test), Alice recording from the meeting's
 * button: resolves once her clock runs and Bob sees the indicator.
 */
async function twoInARecordedCall(title: string): Promise<{ alice: Peer; bob: Peer; recordingsDir: string }> {
  harness = new Harness()
  const recordingsDir = harness.tempDir('dym-call-recordings-')
  const alice = await harness.addPeer({ env: { DYM_RECORDINGS_DIR: recordingsDir } })
  const bob = await harness.addPeer()
  await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob')])
  await debugOn(alice.page) // window.dymRecorder: what the core has accepted
  for (const p of [alice.page, bob.page]) await p.evaluate(`window.dym.invoke('settings.update', { videoQuality: 'low' })`)
  const invite = await startMeeting(alice.page, title)
  await joinMeeting(bob.page, invite)
  for (const p of [alice.page, bob.page]) await expectLiveRemoteTiles(p, 1, 20_000)
  await forceCompositor(alice.page)
  await alice.page.getByTestId('control-record').click()
  await alice.page.getByTestId('my-recording-elapsed').waitFor({ timeout: 20_000 })
  await bob.page.getByTestId('recording-indicator').waitFor({ timeout: 10_000 })
  return { alice, bob, recordingsDir }
}

/**
 * These tests are about the compositor, the path a recording takes where the browser cannot
 * tap encoded frames; Chromium can, so they ask for it (recording-tracks.e2e.test.ts tests the other).
 */
async function forceCompositor(page: Page): Promise<void> {
  await page.evaluate(`localStorage.setItem('dym.recording.path', 'composed')`)
}

/** Until ffmpeg has written `ms` of the recording (the page's status, watched in the page); resolves with how much. */
async function savedAtLeast(page: Page, ms: number): Promise<number> {
  return (await page.evaluate(`(async () => {
    const deadline = Date.now() + 30000
    const saved = () => window.dymRecorder.status.savedMs
    while (!(saved() >= ${ms})) {
      if (Date.now() > deadline) throw new Error('ffmpeg never wrote ${ms} ms of the recording')
      await new Promise((r) => setTimeout(r, 20))
    }
    return saved()
  })()`)) as number
}

/** The running recording's marker, as the core wrote it: which file, which ffmpeg. */
function activeMarker(dataDir: string): { file: string; ffmpegPid: number } {
  const dir = path.join(dataDir, 'recorder', 'active')
  const name = readdirSync(dir).find((n) => n.endsWith('.json'))
  if (!name) throw new Error('no recording marker')
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { file: string; ffmpegPid: number }
}
