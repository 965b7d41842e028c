import type { Page } from 'playwright-core'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { Harness, type Peer } from '../support/harness'
import {
  debugOn,
  describeTile,
  ensureSignedIn,
  expectLiveRemoteTiles,
  expectRemoteAudio,
  joinMeeting,
  peerIdOf,
  remoteTiles,
  shownFrames,
  startMeeting,
  tileOf,
  threeInAMeeting,
  withCallDiagnostics
} from '../support/meeting-steps'
import { startTurnServer, turnSkipReason, type TurnServer } from '../support/turn-server'

/**
 * The call over the real core, the hard cases: a participant's host killed and back, both sides
 * renegotiating at the same moment (glare), and media through a TURN relay (glare on the first
 * offers is also tested in mesh.e2e's lab page). Hosts with their libp2p nodes, real Chromium
 * pages with fake camera and mic. meeting-ui.e2e has the everyday meeting.
 */
let harness: Harness
let turn: TurnServer | null = null
afterEach(async () => harness?.close())
afterAll(async () => turn?.stop())

/** Two hosts with a signed-in page each, the call's debug log on. */
async function aliceAndBob(): Promise<[Peer, Peer]> {
  harness = new Harness()
  const [a, b] = await Promise.all([harness.addPeer(), harness.addPeer()])
  await Promise.all([ensureSignedIn(a.page, 'Alice'), ensureSignedIn(b.page, 'Bob')])
  await Promise.all([debugOn(a.page), debugOn(b.page)])
  return [a, b]
}

describe('the call over the libp2p core (three hosts, real Chromium)', () => {
  it('a participant whose host is killed disappears within 10 s; it rejoins and media flows again', async () => {
    const { peers, pages, invite } = await threeInAMeeting((harness = new Harness()), 'Acceptance')
    const [alice, bob] = pages as [Page, Page]
    const carol = peers[2]!
    const killed = Date.now()
    await carol.host.kill()
    await carol.context.close()
    await Promise.all([alice, bob].map((p) => expect.poll(() => remoteTiles(p).count(), { timeout: 10_000 }).toBe(1)))
    console.log(`killed participant gone from the others after ${Date.now() - killed} ms`)

    // Same data dir: the same person comes back.
    const back = await harness.addPeer({ host: await harness.startHost({ dataDir: carol.host.dataDir }) })
    await ensureSignedIn(back.page, 'Carol')
    await debugOn(back.page)
    await joinMeeting(back.page, invite)
    await withCallDiagnostics([peers[0]!, peers[1]!, back], ['Alice', 'Bob', 'Carol (back)'], async () => {
      // 30 s: a first offer lost on the way is taken back and made again after 10 s (seen once
      // in CI: a tile to the returning host still "connecting" after 15 s).
      for (const p of [alice, bob, back.page]) await expectLiveRemoteTiles(p, 2, 30_000)
    })
  }, 240_000) // three hosts start, one is killed, started again and rejoins: each wait has its own bound (one CI run on a loaded machine needed over 150 s)
})

describe('joining a meeting where a screen is shared (two hosts, real Chromium)', () => {
  it("the newcomer gets the sharer's camera and screen, the screen on stage", async () => {
    const [a, b] = await aliceAndBob()
    const invite = await startMeeting(a.page, 'Demo')
    await a.page.getByTestId('control-screen').click()
    await a.page.locator('[data-testid="tile"][data-self][data-role="screen"]').waitFor({ timeout: 10_000 })
    await joinMeeting(b.page, invite)
    await withCallDiagnostics([a, b], ['Alice', 'Bob'], async () => {
      await expectLiveRemoteTiles(b.page, 1, 15_000)
      const alice = await peerIdOf(a.page)
      await expect
        .poll(() => shownFrames(tileOf(b.page, alice, 'screen')), { timeout: 15_000, message: "Alice's screen plays on Bob's page" })
        .toBeGreaterThan(5)
      expect(await b.page.getByTestId('stage').getAttribute('data-layout')).toBe('speaker')
    })
  })
})

describe('glare over the libp2p core (two hosts, real Chromium)', () => {
  it('both ask for fresh ICE at the same moment, then both share their screen at the same moment: video keeps playing and both screens arrive', async () => {
    const [a, b] = await aliceAndBob()
    const invite = await startMeeting(a.page, 'Glare')
    await joinMeeting(b.page, invite)
    for (const p of [a.page, b.page]) await expectLiveRemoteTiles(p, 1, 15_000)
    const other = async (p: Page) => (await remoteTiles(p).first().getAttribute('data-peer-id')) ?? ''
    const explain = async (err: unknown, p: Page, role: 'camera' | 'screen') =>
      new Error(
        `${(err as Error).message}\n${role} tile: ${await describeTile(tileOf(p, await other(p), role)).catch(String)}\nAlice:\n${a.consoleLines.slice(-30).join('\n')}\nBob:\n${b.consoleLines.slice(-30).join('\n')}`
      )

    // Both ask for an ICE restart in the same instant (both noticed the network change). Only
    // what the pages log from here on counts (the lines start with the time of day).
    const askedAt = new Date().toISOString().slice(11, 23)
    await Promise.all(
      [a.page, b.page].map((p) =>
        p.evaluate(() => (globalThis as unknown as { dymCall: { mesh: { restartIce(): void } } }).dymCall.mesh.restartIce())
      )
    )
    for (const p of [a.page, b.page]) {
      const tile = tileOf(p, await other(p))
      const before = await shownFrames(tile)
      try {
        await expect.poll(() => shownFrames(tile), { timeout: 10_000 }).toBeGreaterThan(before + 10)
      } catch (err) {
        throw await explain(err, p, 'camera')
      }
      expect(await tile.getAttribute('data-state')).toBe('connected')
    }
    // Only one of the two restarted; the other asked it to.
    const since = [...a.consoleLines, ...b.consoleLines].filter((line) => line.slice(0, 12) >= askedAt)
    const restartLines = since.filter((line) => /restart/i.test(line)).join('\n')
    expect(since.join('\n'), restartLines).toMatch(/asking \w+ to restart ICE/)
    expect(
      since.filter((line) => /ICE restart \d+ to/.test(line)),
      restartLines
    ).toHaveLength(1)

    // Both start sharing in the same instant: two offers cross, one side yields.
    await Promise.all([a.page, b.page].map((p) => p.getByTestId('control-screen').click()))
    for (const p of [a.page, b.page]) {
      const screen = tileOf(p, await other(p), 'screen')
      try {
        await expect.poll(() => shownFrames(screen), { timeout: 10_000 }).toBeGreaterThan(10)
      } catch (err) {
        throw await explain(err, p, 'screen')
      }
    }
  })
})

describe.skipIf(turnSkipReason('the call through a TURN relay') !== null)('the call through a TURN relay (coturn on loopback)', () => {
  it('with relay-only settings two participants still see and hear each other, and their tiles say relayed', async () => {
    turn ??= await startTurnServer()
    harness = new Harness()
    const [a, b] = await Promise.all([harness.addPeer(), harness.addPeer()])
    for (const [peer, name] of [
      [a, 'Alice'],
      [b, 'Bob']
    ] as const) {
      await ensureSignedIn(peer.page, name)
      await peer.page.getByTestId('nav-settings').click()
      await peer.page.getByTestId('settings-ice-add').click()
      await peer.page.getByTestId('settings-ice-urls').fill(turn.url)
      await peer.page.getByTestId('settings-ice-username').fill(turn.username)
      await peer.page.getByTestId('settings-ice-credential').fill(turn.credential)
      await peer.page.getByTestId('settings-policy-relay').check()
      await peer.page.getByTestId('settings-save').click()
      await expect.poll(() => peer.page.getByTestId('settings-status').textContent()).toContain('Saved')
      await peer.page.getByTestId('settings-back').click()
    }
    const invite = await startMeeting(a.page, 'Relayed')
    await joinMeeting(b.page, invite)
    for (const p of [a.page, b.page]) {
      await expectLiveRemoteTiles(p, 1, 20_000)
      await expectRemoteAudio(p, 10_000)
      await expect.poll(() => remoteTiles(p).getByTestId('tile-route').textContent(), { timeout: 10_000 }).toBe('Relayed')
    }
  })
})
