import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { axeScan, screenshot, seriousFindings } from '../support/ui-checks'
import { Harness, type Peer } from '../support/harness'
import {
  attributes,
  describeTile,
  expectLiveRemoteTiles,
  expectRemoteAudio,
  remoteTiles,
  tileOf,
  threeInAMeeting,
  withCallDiagnostics
} from '../support/meeting-steps'

/**
 * The meeting screen with three people, each on their own headless host (own libp2p node, own
 * identity), in real Chromium with fake camera and mic: the acceptance for the call.
 * Times are printed, never asserted (speed belongs to bench/); the waits only bound a hang.
 */
let harness: Harness
const SLOW = 30_000
afterEach(async () => harness.close())

async function threePeople(): Promise<{ pages: Page[]; ids: string[]; peers: Peer[] }> {
  harness = new Harness()
  return threeInAMeeting(harness, 'Design review', SLOW)
}

describe('meeting screen, three people over the libp2p core', () => {
  it('everyone sees and hears the two others; badges, routes; mute, camera off and screen share reach the others fast', async () => {
    const { pages, ids, peers } = await threePeople()
    const [alice, bob, carol] = pages as [Page, Page, Page]
    for (const page of pages) await expectRemoteAudio(page, SLOW)

    // Badges as the room reports identities (all three are guests here); routes from WebRTC stats.
    const aliceOnBob = tileOf(bob, ids[0]!)
    for (const [page, other] of [
      [bob, 0],
      [alice, 1],
      [alice, 2]
    ] as const) {
      expect(await tileOf(page, ids[other]!).getByTestId('tile-badge').getAttribute('data-verification')).toBe('guest')
    }
    expect(await tileOf(alice, ids[1]!).getByTestId('tile-badge').textContent()).toContain('Guest')
    expect(await tileOf(alice, ids[1]!).getByTestId('tile-name').textContent()).toContain('Bob')
    await expect.poll(() => aliceOnBob.getByTestId('tile-route').textContent(), { timeout: SLOW }).toBe('Direct')
    await expect.poll(() => aliceOnBob.getByTestId('tile-quality').getAttribute('data-quality'), { timeout: SLOW }).not.toBe('0')
    await screenshot(alice, 'meeting-three-people')

    // Mute: within 2 s on both other pages.
    let t = Date.now()
    await alice.getByTestId('control-mic').click()
    await Promise.all([bob, carol].map((p) => tileOf(p, ids[0]!).getByTestId('tile-muted').waitFor({ timeout: SLOW })))
    const muteMs = Date.now() - t
    // Camera off: the others show the avatar instead of video.
    t = Date.now()
    await alice.getByTestId('control-camera').click()
    await Promise.all(
      [bob, carol].map((p) =>
        p.locator(`[data-testid="tile"][data-peer-id="${ids[0]}"][data-camera-off="true"]`).waitFor({ timeout: SLOW })
      )
    )
    const cameraMs = Date.now() - t
    console.log(`mute seen by others in ${muteMs} ms, camera off in ${cameraMs} ms`)
    await alice.keyboard.press('m') // shortcut: unmute
    await Promise.all([bob, carol].map((p) => tileOf(p, ids[0]!).getByTestId('tile-muted').waitFor({ state: 'detached', timeout: SLOW })))
    await alice.getByTestId('control-camera').click()
    await expect.poll(() => tileOf(bob, ids[0]!).getAttribute('data-video'), { timeout: SLOW }).toBe('shown')

    // Screen share: a tile of its own on the other pages (speaker view puts it on stage), then gone.
    await bob.getByTestId('control-screen').click()
    for (const p of [alice, carol]) {
      await expect.poll(() => remoteTiles(p, 'screen').count(), { timeout: SLOW }).toBe(1)
      await expect.poll(() => p.getByTestId('stage').getAttribute('data-layout')).toBe('speaker')
    }
    await withCallDiagnostics(peers, ['Alice', 'Bob', 'Carol'], async () => {
      const screenTile = tileOf(alice, ids[1]!, 'screen')
      try {
        await expect
          .poll(async () => Number(await screenTile.getAttribute('data-frames-decoded')), {
            timeout: SLOW,
            message: "Bob's screen decodes on Alice's page"
          })
          .toBeGreaterThan(0)
      } catch (err) {
        throw new Error(`${(err as Error).message}\nscreen tile: ${await describeTile(screenTile)}`)
      }
    })
    await screenshot(alice, 'meeting-screen-share')
    await bob.getByTestId('control-screen').click()
    for (const p of [alice, carol]) await expect.poll(() => remoteTiles(p, 'screen').count(), { timeout: SLOW }).toBe(0)

    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 240_000)

  it('chat reaches everyone, counts unread, and survives leave and rejoin; the meeting passes an accessibility scan', async () => {
    const { pages } = await threePeople()
    const [alice, bob, carol] = pages as [Page, Page, Page]
    await alice.getByTestId('control-chat').click()
    await alice.getByTestId('chat-input').fill('Hello both')
    await alice.keyboard.press('Enter')
    await alice.getByTestId('chat-input').fill('Line one')
    await alice.keyboard.press('Shift+Enter')
    await alice.keyboard.type('line two')
    expect(await alice.getByTestId('chat-input').inputValue()).toBe('Line one\nline two')
    await alice.keyboard.press('Enter')
    for (const p of [bob, carol]) await expect.poll(() => p.getByTestId('chat-unread').textContent(), { timeout: SLOW }).toBe('2')
    await bob.keyboard.press('c') // shortcut opens the chat
    await expect.poll(() => bob.getByTestId('chat-text').allTextContents()).toEqual(['Hello both', 'Line one\nline two'])
    expect(await bob.getByTestId('chat-unread').count()).toBe(0)
    await bob.getByTestId('chat-input').fill('Hi Alice')
    await bob.getByTestId('chat-send').click()
    await expect
      .poll(() => alice.getByTestId('chat-text').allTextContents(), { timeout: SLOW })
      .toEqual(['Hello both', 'Line one\nline two', 'Hi Alice'])
    await screenshot(alice, 'meeting-chat-open')

    const findings = await axeScan(alice)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])

    // Carol leaves: the others see her go; the left screen offers a rejoin that brings the chat back.
    await carol.getByTestId('control-leave').click()
    await carol.getByTestId('rejoin-button').waitFor()
    await screenshot(carol, 'left')
    for (const p of [alice, bob]) await expect.poll(() => remoteTiles(p).count(), { timeout: SLOW }).toBe(1)
    await alice.getByTestId('toast').filter({ hasText: 'Carol left' }).waitFor({ timeout: SLOW })
    await carol.getByTestId('rejoin-button').click()
    await carol.getByTestId('join-button').click()
    await carol.getByTestId('meeting').waitFor()
    await expectLiveRemoteTiles(carol, 2, SLOW)
    await carol.getByTestId('control-chat').click()
    await expect
      .poll(() => carol.getByTestId('chat-text').allTextContents(), { timeout: SLOW })
      .toEqual(['Hello both', 'Line one\nline two', 'Hi Alice'])
  }, 240_000)

  it('keyboard: shortcuts, the help sheet, participants, reactions, hands, pin and layout', async () => {
    const { pages, ids } = await threePeople()
    const [alice, bob] = pages as [Page, Page]
    await alice.keyboard.press('?')
    await alice.getByTestId('shortcuts-help').waitFor()
    await screenshot(alice, 'meeting-shortcuts')
    const helpFindings = await axeScan(alice)
    expect(seriousFindings(helpFindings), JSON.stringify(helpFindings, null, 2)).toEqual([])
    await alice.keyboard.press('Escape')
    await alice.getByTestId('shortcuts-help').waitFor({ state: 'detached' })

    await alice.keyboard.press('h')
    await tileOf(bob, ids[0]!).getByTestId('tile-hand').waitFor({ timeout: SLOW })
    await alice.getByTestId('control-reactions').click()
    await alice.getByTestId('reaction-thumbs-up').click()
    await tileOf(bob, ids[0]!).getByTestId('tile-reaction').waitFor({ timeout: SLOW })

    await bob.keyboard.press('p')
    await expect.poll(() => bob.getByTestId('participant').count()).toBe(3)
    await screenshot(bob, 'meeting-participants')
    const findings = await axeScan(bob)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])

    // Pin Alice, switch to speaker view: she is the big tile.
    await tileOf(bob, ids[0]!).hover()
    await tileOf(bob, ids[0]!).getByTestId('tile-pin').click()
    await bob.keyboard.press('l')
    await expect.poll(() => bob.getByTestId('stage').getAttribute('data-layout')).toBe('speaker')
    expect(await bob.locator('.stage-main [data-testid="tile"]').getAttribute('data-peer-id')).toBe(ids[0])
    // Keyboard only: Tab reaches the controls and each has a name.
    const names = await attributes(bob.getByRole('toolbar', { name: 'Meeting controls' }).getByRole('button'), 'aria-label')
    expect(names.every((n) => n && n.length > 2)).toBe(true)
    // Recording is wired: the button is there to press (recording itself is in recording-call.e2e).
    expect(await bob.getByTestId('control-record').getAttribute('aria-disabled')).toBeNull()
    expect(await bob.getByTestId('control-record').getAttribute('aria-label')).toBe('Record this meeting')

    // Hot-swap the microphone mid-meeting: Alice keeps hearing Bob (replaceTrack, no renegotiation).
    await bob.getByTestId('control-devices').click()
    await bob.getByTestId('meeting-mic-select').selectOption({ index: 2 })
    await bob.keyboard.press('Escape')
    await bob.getByTestId('devices-dialog').waitFor({ state: 'detached' })
    const energy = Number(await tileOf(alice, ids[1]!).getAttribute('data-audio-energy'))
    await expect
      .poll(async () => Number(await tileOf(alice, ids[1]!).getAttribute('data-audio-energy')), {
        timeout: SLOW,
        message: 'sound after the switch'
      })
      .toBeGreaterThan(energy + 0.05)
  }, 240_000)
})
