import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium'
import { Harness } from '../support/harness'
import {
  debugOn,
  ensureSignedIn,
  joinMeeting,
  peerIdOf,
  startMeeting,
  waitForRemoteVideo,
  withCallDiagnostics
} from '../support/meeting-steps'

/**
 * Clean sound: Alice's microphone is a file (Chromium `--use-file-for-fake-audio-capture`, her
 * own browser) with a beeping tone over steady pink noise, made here by ffmpeg. Bob hears her
 * through the real call; the noise floor of what reaches him (the quiet between the beeps) is
 * measured from his receiver's audio level with Alice's noise suppression off, then on.
 */
const run = promisify(execFile)
const SLOW = 45_000
/** audio level samples per measurement (one every 50 ms: several loops of the beep) */
const SAMPLES = 120
let harness: Harness
let noisyBrowser: Browser | null = null
afterEach(async () => {
  await harness?.close()
  await noisyBrowser?.close().catch(() => undefined)
  noisyBrowser = null
})

async function noisyMicrophone(dir: string): Promise<string> {
  const file = path.join(dir, 'noisy-mic.wav')
  // A 440 Hz tone half of every second, over pink noise all the time: 48 kHz mono 16-bit PCM.
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=30'],
    ...['-f', 'lavfi', '-i', 'anoisesrc=color=pink:amplitude=0.25:sample_rate=48000:duration=30:seed=7'],
    ...['-filter_complex', "[0]volume='if(lt(mod(t,1),0.5),0.5,0)':eval=frame[tone];[tone][1]amix=inputs=2:normalize=0[out]"],
    ...['-map', '[out]', '-ac', '1', '-c:a', 'pcm_s16le', file]
  ])
  return file
}

/**
 * The noise floor of `from`'s sound as it reaches `page`: the 10th percentile of the receiver's
 * audio level (getStats, linear 0..1) over SAMPLES samples, in dBFS.
 */
async function noiseFloorDb(page: Page, fromId: string): Promise<number> {
  const levels = await page.evaluate(
    async ([id, count]) => {
      type Stat = { type: string; kind?: string; audioLevel?: number }
      type Win = {
        dymCall?: { mesh: { peerConnection(id: string): { getStats(): Promise<{ forEach(cb: (s: Stat) => void): void }> } | null } | null }
      }
      const pc = (globalThis as unknown as Win).dymCall?.mesh?.peerConnection(id as string)
      if (!pc) throw new Error('no link to the noisy participant')
      const out: number[] = []
      while (out.length < (count as number)) {
        let level = 0
        ;(await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0)
        })
        out.push(level)
        await new Promise((resolve) => setTimeout(resolve, 50)) // the sampling interval of a measurement
      }
      return out
    },
    [fromId, SAMPLES] as const
  )
  const sorted = [...levels].sort((a, b) => a - b)
  const floor = sorted[Math.floor(sorted.length * 0.1)] ?? 0
  return 20 * Math.log10(Math.max(floor, 1e-5))
}

describe('noise suppression, two people over the libp2p core', () => {
  it("with Alice's switch on, the noise Bob hears from her drops by 10 dB or more; the choice is remembered", async () => {
    harness = new Harness()
    const wav = await noisyMicrophone(harness.tempDir('dym-noise-'))
    noisyBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`])
    const a = await harness.addPeer({ browser: noisyBrowser })
    const b = await harness.addPeer()
    const [alice, bob] = [a.page, b.page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    await Promise.all([debugOn(alice), debugOn(bob)])
    const invite = await startMeeting(alice, 'Quiet please')
    await joinMeeting(bob, invite)
    await withCallDiagnostics([a, b], ['Alice', 'Bob'], () => waitForRemoteVideo(bob, 1, SLOW))
    const aliceId = await peerIdOf(alice)
    // Her sound has reached Bob before we measure its floor.
    await expect
      .poll(
        async () => Number((await bob.locator(`[data-testid="tile"][data-peer-id="${aliceId}"]`).getAttribute('data-audio-energy')) ?? 0),
        {
          timeout: SLOW
        }
      )
      .toBeGreaterThan(0)
    const off = await noiseFloorDb(bob, aliceId)

    await alice.getByTestId('control-devices').click()
    const toggle = alice.getByTestId('meeting-noise-suppression')
    await expect.poll(() => toggle.isChecked()).toBe(false)
    await toggle.check()
    await expect.poll(() => toggle.getAttribute('data-active'), { timeout: SLOW }).toBe('true')
    const on = await noiseFloorDb(bob, aliceId)
    console.log(`noise floor of Alice's sound on Bob's side: ${off.toFixed(1)} dBFS without, ${on.toFixed(1)} dBFS with noise suppression`)
    expect(off - on).toBeGreaterThanOrEqual(10)

    // Remembered: the settings say so, and the next pre-join shows the switch on.
    const saved = await alice.evaluate(() =>
      (globalThis as unknown as { dym: { invoke(m: string, r: object): Promise<{ noiseSuppression: boolean }> } }).dym.invoke(
        'settings.get',
        {}
      )
    )
    expect(saved.noiseSuppression).toBe(true)
  })
})
