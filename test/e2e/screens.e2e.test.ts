import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { axeScan, screenshot, seriousFindings } from '../support/ui-checks'
import { Harness } from '../support/harness'
import { ensureSignedIn } from '../support/meeting-steps'

/** The bit of HTMLVideoElement these Node-side tests read (no DOM types here). */
type VideoQuality = { getVideoPlaybackQuality(): { totalVideoFrames: number } }

/** The screens before a meeting, in real Chromium through the headless host. */
let harness: Harness
afterEach(async () => harness.close())

/** A fresh host and page, signed in as a guest (every screen here sits behind sign-in). */
async function signedInPeer(name = 'Alice'): ReturnType<Harness['addPeer']> {
  harness = new Harness()
  const peer = await harness.addPeer()
  await ensureSignedIn(peer.page, name)
  return peer
}

async function openPreJoin(page: Page, title = 'Design review'): Promise<void> {
  await page.getByTestId('new-meeting-title').fill(title)
  await page.getByTestId('new-meeting-button').click()
  await page.getByRole('heading', { name: title }).waitFor()
}

/** Frames the preview <video> has presented so far. */
const previewFrames = (page: Page) =>
  page.getByTestId('prejoin-preview').evaluate((v) => (v as unknown as VideoQuality).getVideoPlaybackQuality().totalVideoFrames)
const meterValue = async (page: Page) => Number(await page.getByTestId('mic-meter').getAttribute('aria-valuenow'))

describe('screens before a meeting', () => {
  it('home: start and join forms, validation, recent meetings, recordings; no serious accessibility findings', async () => {
    const { page, pageErrors } = await signedInPeer()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('no server in the middle')
    await expect.poll(() => page.getByTestId('app-version').isVisible()).toBe(true)
    await screenshot(page, 'home')

    // Joining needs an invite; the error is announced and tied to the field.
    await page.getByTestId('join-invite-button').click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Paste the invite')
    expect(await page.getByTestId('join-invite-input').getAttribute('aria-invalid')).toBe('true')

    // A listed meeting needs valid 3Bot names.
    await page.getByText('Only people I list').click()
    await page.getByTestId('rules-names').fill('alice.3bot, Not A Name')
    await page.getByTestId('new-meeting-button').click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('is not a 3Bot name')

    const findings = await axeScan(page)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])

    // Keyboard only: Tab reaches the invite field and Enter submits the join form.
    await page.getByTestId('join-invite-input').focus()
    await page.keyboard.type('dym://join/example')
    await page.keyboard.press('Enter')
    await page.getByText('Ready to join?').waitFor()
    await page.getByTestId('prejoin-back').click()

    await page.getByTestId('open-recordings').click()
    await page.getByRole('heading', { name: 'Recordings' }).waitFor()
    await page.getByTestId('recordings-back').click()
    await page.getByTestId('new-meeting-button').waitFor()
    expect(pageErrors).toEqual([])
  })

  it('pre-join: camera preview plays, the mic meter moves, toggles and device pickers work; no serious findings', async () => {
    const { page, pageErrors } = await signedInPeer()
    await openPreJoin(page)
    await expect.poll(() => previewFrames(page), { timeout: 10_000, message: 'preview video plays' }).toBeGreaterThan(5)
    const frames = await previewFrames(page)
    await expect.poll(() => previewFrames(page), { timeout: 5000 }).toBeGreaterThan(frames + 5)

    // The fake microphone beeps: the meter must move above silence and back.
    const seen = new Set<number>()
    await expect
      .poll(
        async () => {
          seen.add(await meterValue(page))
          return Math.max(...seen) > 20 && seen.size > 2
        },
        { timeout: 10_000, interval: 100, message: 'mic meter moves' }
      )
      .toBe(true)

    // Device pickers list the fake devices by name.
    expect(await page.getByTestId('prejoin-mic-select').locator('option').count()).toBeGreaterThan(1)
    expect(await page.getByTestId('prejoin-camera-select').locator('option').first().textContent()).not.toBe('')
    await page.getByTestId('prejoin-mic-select').selectOption({ index: 1 })
    await expect.poll(() => meterValue(page), { timeout: 10_000 }).toBeGreaterThan(0)
    await screenshot(page, 'prejoin')

    const findings = await axeScan(page)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])

    // Join muted: meter drops to zero, the button says so.
    await page.getByTestId('prejoin-join-muted').check()
    expect(await page.getByTestId('prejoin-mic').getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => meterValue(page)).toBe(0)
    // Camera off: the preview goes away and the camera is released.
    await page.getByTestId('prejoin-camera-off').check()
    await page.getByText('Your camera is off').waitFor()
    expect(await page.getByTestId('prejoin-preview').count()).toBe(0)
    await page.getByTestId('prejoin-camera').click()
    await expect.poll(() => previewFrames(page).catch(() => 0), { timeout: 10_000 }).toBeGreaterThan(2)
    expect(pageErrors).toEqual([])
  })

  it('a camera and microphone saved in settings that are not there any more: pre-join opens the default ones instead', async () => {
    // Device ids change with the browser profile, and devices get unplugged: this used to leave
    // the user with no camera at all (and the others with a black tile) after a restore.
    const { page, pageErrors } = await signedInPeer()
    await page.evaluate(() =>
      (globalThis as unknown as { dym: { invoke(m: string, r: unknown): Promise<unknown> } }).dym.invoke('settings.update', {
        devices: { cameraId: 'a-camera-that-was-unplugged', micId: 'a-mic-that-was-unplugged' }
      })
    )
    await openPreJoin(page)
    await expect.poll(() => previewFrames(page).catch(() => 0), { timeout: 10_000, message: 'preview video plays' }).toBeGreaterThan(5)
    await expect.poll(() => meterValue(page), { timeout: 10_000, interval: 100, message: 'mic meter moves' }).toBeGreaterThan(0)
    expect(await page.getByText('could not be started').count()).toBe(0)
    expect(pageErrors).toEqual([])
  })

  it('starting a meeting alone: the meeting opens, says it is ready and offers the invite; leaving returns to a left screen', async () => {
    const { page, pageErrors } = await signedInPeer()
    await openPreJoin(page)
    await page.getByTestId('join-button').click()
    await page.getByTestId('meeting').waitFor({ timeout: 20_000 })
    await page.getByRole('heading', { name: 'Your meeting is ready' }).waitFor()
    await page.getByTestId('control-leave').click()
    await page.getByTestId('rejoin-button').waitFor()
    expect(pageErrors).toEqual([])
  })

  it('settings: validates fields, keeps what was saved, and says where it went', async () => {
    const { page, pageErrors } = await signedInPeer()
    await page.getByTestId('nav-settings').click()
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
    await page.getByTestId('settings-directory-url').fill('ftp://nope')
    await page.getByTestId('settings-bootstrap').fill('not an address')
    await page.getByTestId('settings-ice-add').click()
    await page.getByTestId('settings-ice-urls').fill('turn:127.0.0.1:3478')
    await page.getByTestId('settings-policy-relay').check()
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toContain('need fixing')
    expect(await page.getByTestId('settings-directory-url').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByTestId('settings-bootstrap').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByText('A TURN server needs a username and a password.').isVisible()).toBe(true)
    // Focus goes to the first field to fix.
    expect(
      await page.evaluate(() =>
        (
          globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
        ).document.activeElement?.getAttribute('data-testid')
      )
    ).toBe('settings-directory-url')
    await screenshot(page, 'settings-errors')

    await page.getByTestId('settings-directory-url').fill('https://login.threefold.me')
    await page.getByTestId('settings-bootstrap').fill('/dns4/boot.example.org/tcp/4001/p2p/12D3KooWExample')
    await page.getByTestId('settings-ice-username').fill('dym')
    await page.getByTestId('settings-ice-credential').fill('secret')
    await page.getByTestId('settings-quality-high').check()
    await page.getByTestId('settings-save').click()
    await expect.poll(() => page.getByTestId('settings-status').textContent()).toContain('Saved')

    // Leave and come back: the saved values are there.
    await page.getByTestId('settings-back').click()
    await page.getByTestId('nav-settings').click()
    await expect.poll(() => page.getByTestId('settings-bootstrap').inputValue()).toBe('/dns4/boot.example.org/tcp/4001/p2p/12D3KooWExample')
    expect(await page.getByTestId('settings-quality-high').isChecked()).toBe(true)
    expect(await page.getByTestId('settings-policy-relay').isChecked()).toBe(true)
    await screenshot(page, 'settings')
    const findings = await axeScan(page)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('settings: the empty recordings folder field shows the folder recordings really go to', async () => {
    harness = new Harness()
    const folder = harness.tempDir('dym-recordings-')
    const { page, pageErrors } = await harness.addPeer({ env: { DYM_RECORDINGS_DIR: folder } })
    await ensureSignedIn(page, 'Alice')
    await page.getByTestId('nav-settings').click()
    const field = page.getByTestId('settings-recordings-dir')
    await field.waitFor()
    expect(await field.inputValue()).toBe('')
    await expect.poll(() => field.getAttribute('placeholder')).toBe(folder)
    // The dark theme's native parts (scrollbars, fields) are dark too.
    expect(
      await field.evaluate(
        (el) => (globalThis as unknown as { getComputedStyle(e: unknown): { colorScheme: string } }).getComputedStyle(el).colorScheme
      )
    ).toBe('dark')
    expect(pageErrors).toEqual([])
  })
})
