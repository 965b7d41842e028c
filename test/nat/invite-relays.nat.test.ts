import { afterEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Reachability } from '../../src/shared/contract/rooms'
import { parseInvite } from '../../src/shared/invite'
import {
  debugOn,
  ensureSignedIn,
  expectLiveRemoteTiles,
  expectRemoteAudio,
  joinMeeting,
  remoteTiles,
  startMeeting,
  withCallDiagnostics
} from '../support/meeting-steps'
import { turnSkipReason } from '../support/turn-server'
import { NatLab } from './lab/nat-lab'
import { labUnavailable } from './lab/shell'

const labReason = labUnavailable()
if (labReason) console.log(`skipped: the NAT lab (${labReason})`)
const unavailable = labReason ?? turnSkipReason('the NAT lab')

let lab: NatLab | null = null
afterEach(async () => {
  await lab?.close()
  lab = null
})

const reachability = (page: Page) => page.evaluate(`window.dym.invoke('network.reachability', {})`) as Promise<Reachability>

/** Join from the home screen and wait for the pre-join's error (the join does not get in). */
async function joinAndFail(page: Page, invite: string): Promise<string> {
  await page.getByTestId('join-invite-input').fill(invite)
  await page.getByTestId('join-invite-button').click()
  await page.getByTestId('join-button').waitFor()
  await page.getByTestId('join-button').click()
  const error = page.getByTestId('prejoin-error')
  await error.waitFor({ timeout: 60_000 })
  return (await error.textContent()) ?? ''
}

describe.skipIf(unavailable !== null)('NAT lab: the invite carries the relay, the joiner needs no settings', () => {
  it('the creator has a relay in Settings, the joiner none, both behind symmetric NATs: they meet, see and hear each other, "Relayed via" the relay', async () => {
    lab = await NatLab.create()
    const relay = await lab.relay()
    const [alice, bob] = await Promise.all([
      lab.participant({ name: 'alice', nat: 'symmetric', settings: { relays: [relay.addrs[0]!] } }),
      lab.participant({ name: 'bob', nat: 'symmetric' })
    ])
    lab.resetLeaks()
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob')])
    await Promise.all([debugOn(alice.page), debugOn(bob.page)])

    // What each is told about being reachable: Alice through her relay, Bob (no settings) not at all.
    await expect
      .poll(async () => (await reachability(alice.page)).text, { timeout: 60_000 })
      .toBe('People outside your network can reach you only through a relay')
    expect((await reachability(bob.page)).kind).toBe('no-relay')

    const invite = await startMeeting(alice.page, 'Relay in the invite')
    expect(parseInvite(invite).relays).toEqual([{ peerId: relay.peerId, addrs: [relay.addrs[0]] }])

    await lab.explain(() => joinMeeting(bob.page, invite))
    await lab.explain(() =>
      withCallDiagnostics([alice, bob], ['alice', 'bob'], async () => {
        for (const p of [alice.page, bob.page]) {
          await expectLiveRemoteTiles(p, 1, 45_000)
          await expectRemoteAudio(p, 20_000)
          await expect.poll(() => remoteTiles(p).getByTestId('tile-route').textContent(), { timeout: 20_000 }).toBe('Relayed')
          await expect.poll(() => remoteTiles(p).getByTestId('tile-route-via').textContent(), { timeout: 20_000 }).toBe(`via ${relay.ip}`)
        }
      })
    )
    // The ICE servers came from the meeting's relay only: nothing tried to leave the lab.
    expect(lab.leakedPackets()).toEqual([])
  })

  it('three homes, three symmetric NATs, only the creator has a relay in Settings: the third person reaches the second through the relay, and everyone sees everyone', async () => {
    // Where the time went, printed as the test goes: a timeout then says which step was slow.
    const started = Date.now()
    const phase = (what: string) => console.log(`three homes: ${what} at ${Date.now() - started} ms`)
    lab = await NatLab.create()
    const relay = await lab.relay()
    const [alice, bob, carol] = await Promise.all([
      lab.participant({ name: 'alice', nat: 'symmetric', settings: { relays: [relay.addrs[0]!] } }),
      lab.participant({ name: 'bob', nat: 'symmetric' }),
      lab.participant({ name: 'carol', nat: 'symmetric' })
    ])
    lab.resetLeaks()
    phase('lab built')
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob'), ensureSignedIn(carol.page, 'Carol')])
    phase('signed in')
    await expect.poll(async () => (await reachability(alice.page)).kind, { timeout: 60_000 }).toBe('relay')
    phase('Alice has her relay')
    const invite = await startMeeting(alice.page, 'Three homes')
    phase('meeting started')
    await lab.explain(() => joinMeeting(bob.page, invite))
    phase('Bob in')
    await lab.explain(() => joinMeeting(carol.page, invite))
    phase('Carol in')
    await lab.explain(() =>
      withCallDiagnostics([alice, bob, carol], ['alice', 'bob', 'carol'], async () => {
        for (const p of [alice.page, bob.page, carol.page]) {
          await expectLiveRemoteTiles(p, 2, 60_000)
          await expect
            .poll(() => remoteTiles(p).getByTestId('tile-route').allTextContents(), { timeout: 20_000 })
            .toEqual(['Relayed', 'Relayed'])
          phase('a page sees both others, relayed')
        }
      })
    )
    expect(lab.leakedPackets()).toEqual([])
  })

  it('with no relay anywhere, the joiner is told why instead of waiting on a spinner', async () => {
    lab = await NatLab.create()
    const [alice, bob] = await Promise.all([
      lab.participant({ name: 'alice', nat: 'symmetric' }),
      lab.participant({ name: 'bob', nat: 'symmetric' })
    ])
    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob')])
    await expect.poll(async () => (await reachability(alice.page)).text).toMatch(/^No relay set: people outside your network cannot join/)
    const invite = await startMeeting(alice.page, 'No relay')
    expect(parseInvite(invite).relays).toEqual([])

    const said = await lab.explain(() => joinAndFail(bob.page, invite))
    expect(said).toBe(
      'Nobody in this meeting could be reached directly, and the invite names no relay: ask the organiser to set a relay in Settings and send a new invite.'
    )
    expect(said).not.toMatch(/\.\./)
    // No spinner left: the button is ready to try again.
    await expect.poll(() => bob.page.getByTestId('join-button').textContent()).toBe('Join now')
  })
})
