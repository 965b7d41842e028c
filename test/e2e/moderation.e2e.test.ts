import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import {
  debugOn,
  ensureSignedIn,
  expectVideoKeepsPlaying,
  joinMeeting,
  remoteTiles,
  startMeeting,
  tileOf,
  waitForRemoteVideo,
  peerIdOf
} from '../support/meeting-steps'
import { expectToastSeen, expectToastsTidy, toastsSeen, watchToasts } from '../support/toast-steps'
import { axeScan, screenshot, seriousFindings } from '../support/ui-checks'

/**
 * The host moderates, over real hosts in real Chromium: every command is signed by the host's
 * core and checked by each member's core; here we check what each person sees and that the
 * others' call goes on.
 */
let harness: Harness
const SLOW = 30_000
afterEach(async () => harness.close())

/** A person's row in the participants panel. */
const row = (page: Page, peerId: string) => page.locator(`[data-testid="participant"][data-peer-id="${peerId}"]`)

describe('moderation: the host and co-hosts run the meeting', () => {
  it('mute, ask to unmute, co-host, lock refuses a newcomer, remove rotates the key; non-hosts see no controls', async () => {
    harness = new Harness()
    const names = ['Alice', 'Bob', 'Carol', 'Dave']
    const peers = await Promise.all(names.map(() => harness.addPeer()))
    const [alice, bob, carol, dave] = peers.map((p) => p.page) as [Page, Page, Page, Page]
    await Promise.all(peers.map((p, i) => ensureSignedIn(p.page, names[i]!)))
    await Promise.all([alice, bob, carol].map(debugOn))
    await Promise.all([alice, bob, carol].map(watchToasts))

    // One after the other: Carol arrives when Alice and Bob are already there.
    const invite = await startMeeting(alice, 'Board meeting')
    await joinMeeting(bob, invite)
    await Promise.all([alice, bob].map((p) => waitForRemoteVideo(p, 1, SLOW)))
    await joinMeeting(carol, invite)
    await Promise.all([alice, bob, carol].map((p) => waitForRemoteVideo(p, 2, SLOW)))
    const [aliceId, bobId, carolId] = await Promise.all([alice, bob, carol].map(peerIdOf))
    // The newcomer is not told that the people already there "joined"; they are told about her.
    await expectToastSeen(alice, 'Carol joined', SLOW)
    expect((await toastsSeen(carol)).filter((t) => t.includes('joined'))).toEqual([])

    // Non-hosts see no moderation controls.
    await bob.keyboard.press('p')
    await row(bob, aliceId!).waitFor()
    expect(await bob.getByTestId('host-controls').count()).toBe(0)
    expect(await bob.getByTestId('person-actions').count()).toBe(0)
    expect(await bob.locator('[data-testid^="moderate-"]').count()).toBe(0)

    // The host's panel: every control has a name, passes axe, and works from the keyboard.
    await alice.keyboard.press('p')
    await row(alice, bobId!).getByTestId('moderate-mute').waitFor()
    await screenshot(alice, 'moderation-host-panel')
    const findings = await axeScan(alice)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])
    await row(alice, bobId!).getByTestId('moderate-mute').focus()
    await alice.keyboard.press('Enter')

    // Bob's app mutes and tells him; the others see him muted.
    await expect.poll(() => bob.getByTestId('control-mic').getAttribute('aria-pressed'), { timeout: SLOW }).toBe('true')
    await expectToastSeen(bob, 'Alice muted your microphone', SLOW)
    for (const p of [alice, carol]) await tileOf(p, bobId!).getByTestId('tile-muted').waitFor({ timeout: SLOW })

    // Ask to unmute: only Bob's own click unmutes him.
    await row(alice, bobId!).getByTestId('moderate-ask-unmute').click()
    await bob.getByTestId('ask-unmute').waitFor({ timeout: SLOW })
    expect(await bob.getByTestId('ask-unmute').textContent()).toContain('Alice asks you to unmute')
    expect(await bob.getByTestId('control-mic').getAttribute('aria-pressed')).toBe('true')
    await screenshot(bob, 'moderation-ask-unmute')
    await bob.getByTestId('ask-unmute-accept').click()
    await bob.getByTestId('ask-unmute').waitFor({ state: 'detached' })
    await tileOf(alice, bobId!).getByTestId('tile-muted').waitFor({ state: 'detached', timeout: SLOW })

    // Carol becomes co-host: she gets the controls (but cannot name co-hosts herself).
    await row(alice, carolId!).getByTestId('moderate-co-host').click()
    await expectToastSeen(carol, 'Alice made you a co-host', SLOW)
    await carol.keyboard.press('p')
    await carol.getByTestId('host-controls').waitFor({ timeout: SLOW })
    await row(carol, bobId!).getByTestId('moderate-mute').waitFor()
    expect(await carol.getByTestId('moderate-co-host').count()).toBe(0)
    await row(alice, carolId!).getByTestId('participant-co-host').waitFor({ timeout: SLOW })

    // Lock: everyone sees it; a newcomer with the invite is refused and told why.
    await alice.getByTestId('moderate-lock').click()
    await alice.getByTestId('moderate-mute-all').click()
    // Several toasts at once: stacked, capped, clear of the controls, information in a calm style.
    await expectToastsTidy(alice, 2, SLOW)
    await expectToastsTidy(bob, 2, SLOW)
    for (const p of [alice, bob, carol]) await p.getByTestId('meeting-locked').waitFor({ timeout: SLOW })
    await expectToastSeen(bob, 'Alice locked the meeting', SLOW)
    await dave.getByTestId('join-invite-input').fill(invite)
    await dave.getByTestId('join-invite-button').click()
    await dave.getByTestId('join-button').click()
    await expect.poll(() => dave.getByTestId('prejoin-error').textContent(), { timeout: SLOW }).toContain('locked')
    expect(await dave.getByTestId('meeting').count()).toBe(0)
    await screenshot(dave, 'moderation-locked-refused')
    // The co-host unlocks.
    await carol.getByTestId('moderate-lock').click()
    for (const p of [alice, bob, carol]) await p.getByTestId('meeting-locked').waitFor({ state: 'detached', timeout: SLOW })

    // Remove Bob (after a confirmation): his screen says so; Alice and Carol keep their call.
    await row(alice, bobId!).getByTestId('moderate-remove').click()
    await alice.getByTestId('remove-dialog').waitFor()
    await alice.getByTestId('remove-confirm').click()
    await expect.poll(() => bob.getByTestId('left-heading').textContent(), { timeout: SLOW }).toBe('You were removed from the meeting')
    expect(await bob.getByTestId('rejoin-button').count()).toBe(0)
    await screenshot(bob, 'moderation-removed')
    for (const p of [alice, carol]) {
      await expect.poll(() => remoteTiles(p).count(), { timeout: SLOW }).toBe(1)
      await expectVideoKeepsPlaying(p, SLOW)
    }
    // The old invite no longer lets him in.
    await bob.getByTestId('home-button').click()
    await bob.getByTestId('join-invite-input').fill(invite)
    await bob.getByTestId('join-invite-button').click()
    await bob.getByTestId('join-button').click()
    await bob.getByTestId('prejoin-error').waitFor({ timeout: SLOW })
    expect(await bob.getByTestId('meeting').count()).toBe(0)
    // ...and Alice and Carol still see each other's video.
    for (const p of [alice, carol]) await expectVideoKeepsPlaying(p, SLOW)
    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 300_000)
})
