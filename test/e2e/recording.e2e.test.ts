import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import { signInAsGuest } from '../support/identity'
import { ffprobe, recordingFacts } from '../support/media'
import { debugOn } from '../support/meeting-steps'

let harness: Harness
afterEach(async () => harness.close())

describe('recording in Chromium through the headless host', () => {
  it('records 10 s of the local camera and mic via the compositor: 1280x720 video, audible audio, title and participants in the file; exports MP4 with a progress bar', async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-recordings-')
    const peer = await harness.addPeer({ env: { DYM_RECORDINGS_DIR: recordingsDir } })
    const { page } = peer
    // Where the time goes, printed at the end: this test does a lot on a shared machine.
    const t0 = Date.now()
    const timings: string[] = []
    const mark = (what: string) => timings.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`)

    // Recordings are a signed-in screen; the file names the person who recorded.
    await signInAsGuest(page, 'Rita')
    await debugOn(page) // window.dymRecorder: when MediaRecorder started and stopped
    await page.getByTestId('nav-recordings').click()
    await expect.poll(() => page.getByTestId('recordings-folder').textContent(), { timeout: 15_000 }).toBe(recordingsDir)
    await expect.poll(() => page.getByText('No recordings yet.').isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Record yourself' }).click()
    await page.getByRole('textbox', { name: 'Title' }).fill('E2E solo take')
    const startButton = page.getByRole('button', { name: 'Start recording' })
    await expect.poll(() => startButton.isEnabled(), { timeout: 15_000 }).toBe(true)
    await startButton.click()
    mark('started')

    // Stop once the recorder itself says 10 s have been recorded: watched and clicked inside the
    // page, so no round trip to the test adds to the 10 s.
    await page.getByTestId('recording-elapsed').waitFor({ timeout: 15_000 })
    await page.evaluate(`(async () => {
      const deadline = Date.now() + 30000
      const seconds = () => Number(document.querySelector('[data-testid="recording-elapsed"]')?.getAttribute('data-seconds'))
      while (seconds() < 10) {
        if (Date.now() > deadline) throw new Error('the recording never reached 10 s')
        await new Promise((r) => setTimeout(r, 50))
      }
      ;[...document.querySelectorAll('button')].find((b) => b.textContent === 'Stop recording')?.click()
    })()`)
    const saved = page.getByRole('status').filter({ hasText: 'Saved as' })
    await expect.poll(() => saved.isVisible(), { timeout: 30_000 }).toBe(true)
    const name = (await saved.locator('code').textContent()) ?? ''
    mark('saved')
    expect(name).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}_E2E-solo-take\.mkv$/)

    const file = path.join(recordingsDir, name)
    const facts = await recordingFacts(file)
    console.log(`recorded ${facts.durationSec} s:`, JSON.stringify(facts.timeline))
    expect(facts).toMatchObject({
      videoCodec: 'vp8',
      width: 1280,
      height: 720,
      audioCodec: 'opus',
      title: 'E2E solo take',
      participants: 'Rita'
    })
    // As long as she recorded: no shorter than the 10 s her clock counted, no longer than
    // MediaRecorder ran (a little past the click: the last frame is drawn and given time to reach
    // the encoder, longer on a stalled page).
    const { startedAt, endedAt } = (await page.evaluate('window.dymRecorder.status')) as { startedAt: number; endedAt: number }
    const recordedSec = (endedAt - startedAt) / 1000
    console.log(`MediaRecorder ran ${recordedSec.toFixed(2)} s`)
    expect(recordedSec).toBeGreaterThanOrEqual(10)
    expect(facts.durationSec).toBeGreaterThanOrEqual(8.5)
    expect(facts.durationSec).toBeLessThanOrEqual(recordedSec + 0.5)
    expect(facts.playableSec).toBeGreaterThanOrEqual(8.5)
    expect(facts.meanVolumeDb).toBeGreaterThan(-60) // the fake microphone's beep made it into the mix

    // The list shows it with its duration and a thumbnail.
    const card = page.getByRole('listitem', { name: 'E2E solo take' })
    await expect.poll(() => card.getByTestId('rec-duration').textContent(), { timeout: 15_000 }).toMatch(/^0:(09|10|11)$/)
    await expect.poll(() => card.locator('img').count(), { timeout: 15_000 }).toBe(1)

    mark('listed')
    // Export MP4: the progress bar is driven by the core's events, then the file is there.
    await card.getByRole('button', { name: 'Export MP4' }).click()
    const ready = card.getByRole('status').filter({ hasText: 'MP4 ready' })
    const sawProgress = (await page.evaluate(`(async () => {
      // Every progress value the page shows, until the export is done.
      const seen = new Set()
      for (let i = 0; i < 3000; i++) {
        const bar = document.querySelector('[role="progressbar"]')
        if (bar) seen.add(bar.getAttribute('aria-valuenow'))
        if ([...document.querySelectorAll('[role="status"]')].some((e) => e.textContent.includes('MP4 ready'))) break
        await new Promise((r) => setTimeout(r, 50))
      }
      return [...seen]
    })()`)) as string[]
    mark('exported')
    expect(await ready.isVisible()).toBe(true)
    expect(sawProgress.length).toBeGreaterThan(0)
    const mp4 = path.join(recordingsDir, name.replace('.mkv', '.mp4'))
    expect(existsSync(mp4)).toBe(true)
    const exported = await ffprobe(mp4)
    expect(exported.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264'])

    // Open is refused politely on a host without a desktop, and says where the file is.
    await card.getByRole('button', { name: 'Open' }).click()
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `It is at ${file}` })
          .isVisible()
      )
      .toBe(true)

    // Delete asks first; Cancel keeps it, Delete recording removes it.
    await card.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    expect(existsSync(file)).toBe(true)
    await card.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete recording' }).click()
    await expect.poll(() => page.getByText('No recordings yet.').isVisible(), { timeout: 15_000 }).toBe(true)
    expect(existsSync(file)).toBe(false)
    mark('deleted')
    console.log(`timings: ${timings.join(', ')}`)
    expect(peer.pageErrors).toEqual([])
  }, 240_000)
})
