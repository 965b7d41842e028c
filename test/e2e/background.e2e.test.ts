import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium'
import { Harness } from '../support/harness'
import { ensureSignedIn, joinMeeting, peerIdOf, startMeeting, waitForRemoteVideo } from '../support/meeting-steps'

/**
 * The background behind the person, as the other side sees it: Chromium's fake camera draws
 * sharp shapes and digits, and the selfie model finds no person in them, so with an effect on
 * the whole picture is background: blurred, or the chosen picture. "Sharpness" is the mean
 * difference between neighbouring pixels of Alice's tile on Bob's screen.
 */
let harness: Harness
let cameraBrowser: Browser | null = null
const SLOW = 45_000
const run = promisify(execFile)
afterEach(async () => {
  await harness?.close()
  await cameraBrowser?.close().catch(() => undefined)
  cameraBrowser = null
})

/** A fake camera (Chromium plays it in a loop): a person in the middle of a moving test pattern. */
async function personCamera(dir: string): Promise<string> {
  const file = path.join(dir, 'person.y4m')
  const portrait = path.join(import.meta.dirname, '../fixtures/portrait.jpg')
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-loop', '1', '-i', portrait],
    ...['-filter_complex', '[0][1]overlay=200:120:shortest=1', '-t', '2', '-pix_fmt', 'yuv420p', file]
  ])
  return file
}

/** The mean colour of part of Alice's tile on Bob's screen, in a 64x36 copy of it (default: the top tenth, the pictures' sky). */
/** Keeps the effect on however slowly this machine draws it (headless Chromium has no GPU here), or makes it give up at once. */
const holdEffect = (page: Page, minFps: number) => page.evaluate(`localStorage.setItem('dym.background.minFps', '${minFps}')`)

type Region = [x: number, y: number, w: number, h: number]

async function tileColour(page: Page, peerId: string, [x, y, w, h]: Region = [0, 0, 64, 4]): Promise<[number, number, number]> {
  return page.evaluate(`(() => {
    const video = document.querySelector('[data-testid="tile"][data-peer-id="${peerId}"] video')
    const ctx = new OffscreenCanvas(64, 36).getContext('2d')
    ctx.drawImage(video, 0, 0, 64, 36)
    const px = ctx.getImageData(${x}, ${y}, ${w}, ${h}).data
    const sum = [0, 0, 0]
    for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += px[i + c]
    return sum.map((v) => Math.round(v / (px.length / 4)))
  })()`) as Promise<[number, number, number]>
}

async function sharpness(page: Page, peerId: string): Promise<number> {
  return page.evaluate(`(() => {
    const video = document.querySelector('[data-testid="tile"][data-peer-id="${peerId}"] video')
    if (!video || video.videoWidth === 0) return -1
    const w = 320
    const h = Math.round((w * video.videoHeight) / video.videoWidth)
    const ctx = new OffscreenCanvas(w, h).getContext('2d')
    ctx.drawImage(video, 0, 0, w, h)
    const px = ctx.getImageData(0, 0, w, h).data
    let sum = 0
    for (let y = 0; y < h; y++)
      for (let x = 1; x < w; x++) {
        const i = (y * w + x) * 4
        sum += Math.abs(px[i] - px[i - 4]) + Math.abs(px[i + 1] - px[i - 3]) + Math.abs(px[i + 2] - px[i - 2])
      }
    return sum / (w * h)
  })()`) as Promise<number>
}

describe('background effects, two people over the libp2p core', () => {
  it("Alice's background blurred, then a picture, then as it is, on Bob's screen; the choice is remembered", async () => {
    harness = new Harness()
    const [a, b] = await Promise.all([harness.addPeer(), harness.addPeer()])
    const [alice, bob] = [a.page, b.page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    const invite = await startMeeting(alice, 'Blurry')
    await joinMeeting(bob, invite)
    await waitForRemoteVideo(bob, 1, SLOW)
    const aliceId = await peerIdOf(alice)
    let sharp = 0
    await expect.poll(async () => (sharp = await sharpness(bob, aliceId)), { timeout: SLOW }).toBeGreaterThan(0)
    const plainTop = await tileColour(bob, aliceId)
    await holdEffect(alice, 0)

    await alice.getByTestId('control-devices').click()
    const picker = alice.getByTestId('meeting-background')
    await expect.poll(() => picker.inputValue()).toBe('none')
    await picker.selectOption({ label: 'Blurred' })
    await expect.poll(() => picker.getAttribute('data-active'), { timeout: SLOW }).toBe('true')
    let blurred = sharp
    await expect.poll(async () => (blurred = await sharpness(bob, aliceId)), { timeout: SLOW }).toBeLessThan(sharp * 0.4)
    console.log(`sharpness of Alice's picture on Bob's screen: ${sharp.toFixed(1)} plain, ${blurred.toFixed(1)} blurred`)

    // The dusk picture's sky starts at #2b1055 (43, 16, 85): Bob sees it where the camera was.
    await picker.selectOption({ label: 'Picture: dusk' })
    const near = (c: number[], want: number[]) => c.every((v, i) => Math.abs(v - want[i]!) < 30)
    await expect.poll(async () => near(await tileColour(bob, aliceId), [43, 16, 85]), { timeout: SLOW }).toBe(true)
    expect(near(plainTop, [43, 16, 85])).toBe(false)
    expect(await picker.getAttribute('data-active')).toBe('true')

    const saved = await alice.evaluate(() =>
      (globalThis as unknown as { dym: { invoke(m: string, r: object): Promise<{ background: string }> } }).dym.invoke('settings.get', {})
    )
    expect(saved.background).toBe('dusk')

    await picker.selectOption({ label: 'As it is' })
    await expect.poll(() => sharpness(bob, aliceId), { timeout: SLOW }).toBeGreaterThan(sharp * 0.7)
    await expect.poll(() => picker.getAttribute('data-active')).toBe('false')
    expect([...a.pageErrors, ...b.pageErrors]).toEqual([])
  }, 180_000)

  it('a person in front of the camera stays in front of the picture', async () => {
    harness = new Harness()
    cameraBrowser = await launchChromium([`--use-file-for-fake-video-capture=${await personCamera(harness.tempDir('dym-camera-'))}`])
    const a = await harness.addPeer({ browser: cameraBrowser })
    const b = await harness.addPeer()
    const [alice, bob] = [a.page, b.page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    await joinMeeting(bob, await startMeeting(alice, 'In front'))
    await waitForRemoteVideo(bob, 1, SLOW)
    const aliceId = await peerIdOf(alice)
    // In the 64x36 copy: the face is around x 27-37, y 16-28; the left edge is test pattern.
    const FACE: Region = [29, 18, 6, 6]
    const EDGE: Region = [0, 4, 8, 30]
    await holdEffect(alice, 0)
    let face: number[] = []
    await expect.poll(async () => (face = await tileColour(bob, aliceId, FACE))[0]!, { timeout: SLOW }).toBeGreaterThan(100)
    await alice.getByTestId('control-devices').click()
    await alice.getByTestId('meeting-background').selectOption({ label: 'Picture: studio backdrop' })
    // The studio backdrop is grey: the pattern's saturated colours at the edge are gone.
    const grey = (c: number[]) => Math.max(...c) - Math.min(...c) < 30
    await expect.poll(async () => grey(await tileColour(bob, aliceId, EDGE)), { timeout: SLOW }).toBe(true)
    const kept = await tileColour(bob, aliceId, FACE)
    console.log(`Alice's face on Bob's screen: rgb(${face.join(', ')}) before, rgb(${kept.join(', ')}) in front of the picture`)
    expect(kept.every((v, i) => Math.abs(v - face[i]!) < 40)).toBe(true)
    expect(grey(kept)).toBe(false)
  }, 180_000)

  it('on a computer too slow for it, the effect turns itself off and says so; the plain camera is sent', async () => {
    harness = new Harness()
    const [a, b] = await Promise.all([harness.addPeer(), harness.addPeer()])
    const [alice, bob] = [a.page, b.page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    await joinMeeting(bob, await startMeeting(alice, 'Too slow'))
    await waitForRemoteVideo(bob, 1, SLOW)
    const aliceId = await peerIdOf(alice)
    let sharp = 0
    await expect.poll(async () => (sharp = await sharpness(bob, aliceId)), { timeout: SLOW }).toBeGreaterThan(0)
    await holdEffect(alice, 1000)
    await alice.getByTestId('control-devices').click()
    const picker = alice.getByTestId('meeting-background')
    await picker.selectOption({ label: 'Blurred' })
    const said = alice.getByTestId('meeting-background-error')
    await said.waitFor({ timeout: SLOW })
    expect(await said.textContent()).toMatch(
      /^Your background turned itself off: this computer managed only [\d.]+ frames a second with it\.$/
    )
    expect(await picker.inputValue()).toBe('none')
    await expect.poll(() => picker.getAttribute('data-active')).toBe('false')
    await expect.poll(() => sharpness(bob, aliceId), { timeout: SLOW }).toBeGreaterThan(sharp * 0.7)
  }, 180_000)
})
