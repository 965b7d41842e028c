import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import { debugOn, ensureSignedIn, expectLiveRemoteTiles, joinMeeting, remoteTiles, startMeeting } from '../support/meeting-steps'

/**
 * A meeting with no server exists while someone is in it: once everyone has left, whoever holds
 * the invite opens it again (the organiser here), and the old invite finds them.
 */
let harness: Harness
const SLOW = 30_000
afterEach(async () => harness.close())

describe('a meeting nobody is in can be opened again', () => {
  it('everyone leaves; the organiser rejoins from the left screen; a second person joins with the old invite and both see each other', async () => {
    harness = new Harness()
    const peers = await Promise.all([harness.addPeer(), harness.addPeer()])
    const [alice, bob] = peers.map((p) => p.page) as [Page, Page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    await Promise.all([alice, bob].map(debugOn))
    const invite = await startMeeting(alice, 'Weekly sync')
    await joinMeeting(bob, invite)
    await Promise.all([alice, bob].map((p) => expectLiveRemoteTiles(p, 1, SLOW)))

    // Everyone leaves: the meeting has nobody in it.
    await bob.getByTestId('control-leave').click()
    await bob.getByTestId('rejoin-button').waitFor()
    await expect.poll(() => remoteTiles(alice).count(), { timeout: SLOW }).toBe(0)
    await alice.getByTestId('control-leave').click()
    await alice.getByTestId('rejoin-button').waitFor()

    // The organiser opens it again.
    await alice.getByTestId('rejoin-button').click()
    await alice.getByTestId('join-button').click()
    await alice.getByTestId('meeting').waitFor({ timeout: SLOW })
    expect(await alice.getByTestId('meeting-title').textContent()).toBe('Weekly sync')
    // Alone in it: the "Your meeting is ready" card does not cover her own name tag.
    const card = await alice.locator('.alone-card').boundingBox()
    const tag = await alice.locator('[data-testid="tile"][data-self] [data-testid="tile-name"]').boundingBox()
    expect(card && tag, 'the card and the name tag are on screen').toBeTruthy()
    const apart =
      card!.x + card!.width <= tag!.x ||
      tag!.x + tag!.width <= card!.x ||
      card!.y + card!.height <= tag!.y ||
      tag!.y + tag!.height <= card!.y
    expect(apart, `card ${JSON.stringify(card)} covers the name tag ${JSON.stringify(tag)}`).toBe(true)

    // Bob pastes the old invite: his pre-join names the meeting, and he finds Alice.
    await bob.getByTestId('home-button').click()
    await bob.getByTestId('join-invite-input').fill(invite)
    await bob.getByTestId('join-invite-button').click()
    await expect.poll(() => bob.locator('#prejoin-title').textContent()).toBe('Weekly sync')
    await bob.getByTestId('join-button').click()
    await bob.getByTestId('meeting').waitFor({ timeout: SLOW })
    await Promise.all([alice, bob].map((p) => expectLiveRemoteTiles(p, 1, SLOW)))
    expect(await bob.getByTestId('prejoin-error').count()).toBe(0)
    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 240_000)
})
