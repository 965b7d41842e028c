import { afterEach, describe, expect, it } from 'vitest'
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

describe.skipIf(unavailable !== null)('NAT lab: two homes behind symmetric NATs and a relay on the internet', () => {
  it('each reaches the relay through its NAT and gets TURN credentials; their pages see and hear each other through TURN ("Relayed"); nothing leaves the lab', async () => {
    const started = Date.now()
    lab = await NatLab.create()
    const relay = await lab.relay()
    const [alice, bob] = await Promise.all([
      lab.participant({ name: 'alice', nat: 'symmetric' }),
      lab.participant({ name: 'bob', nat: 'symmetric' })
    ])
    // The lab's own check: a packet for an address outside the lab is seen (and dropped).
    lab.resetLeaks()
    lab.probeLeak(alice)
    expect(lab.leaks().packets).toBe(1)
    // The kernel hands NFLOG'd packets to tcpdump in batches it flushes up to a second later:
    // wait for the line (not the default 1 s of polling, which a busy machine can miss).
    await expect
      .poll(() => lab!.leakedPackets().join('\n'), { timeout: 10_000 })
      .toMatch(new RegExp(`IP ${alice.publicIp.replace(/\./g, '\\.')}\\.\\d+ > 6\\.0\\.1\\.1\\.3478: UDP`))
    lab.resetLeaks()
    const capture = await lab.capture()
    const built = Date.now()

    await Promise.all([ensureSignedIn(alice.page, 'Alice'), ensureSignedIn(bob.page, 'Bob')])
    await Promise.all([debugOn(alice.page), debugOn(bob.page)])
    // Alice names the relay in Settings, so her invite carries an address through it.
    await alice.page.evaluate(`window.dym.invoke('settings.update', ${JSON.stringify({ relays: [relay.addrs[0]] })})`)
    const invite = await startMeeting(alice.page, 'Across two NATs')
    expect(parseInvite(invite).addrs.some((a) => a.includes(`/p2p/${relay.peerId}/p2p-circuit`))).toBe(true)

    // Each asks the relay for ICE servers from inside its own network, through its NAT.
    const roomKey = parseInvite(invite).roomKey
    const [forAlice, forBob] = await Promise.all([alice.fetchIceServers(relay, roomKey), bob.fetchIceServers(relay, roomKey)])
    for (const got of [forAlice, forBob]) {
      expect(got.iceServers.flatMap((s) => s.urls)).toContain(`turn:${relay.ip}:3478?transport=udp`)
      expect(got.iceServers.find((s) => s.username)?.credential).toBeTruthy()
    }
    // Given through the iceServers setting: this proves the relay's own credentials work from inside
    // both NATs (invite-relays.nat.test.ts has the app fetch them by itself).
    for (const [p, got] of [
      [alice, forAlice],
      [bob, forBob]
    ] as const) {
      await p.page.evaluate(`window.dym.invoke('settings.update', ${JSON.stringify({ iceServers: got.iceServers })})`)
    }

    const clicked = await lab.explain(() => joinMeeting(bob.page, invite))
    const joinedMs = Date.now() - clicked
    await lab.explain(() =>
      withCallDiagnostics([alice, bob], ['alice', 'bob'], async () => {
        for (const p of [alice.page, bob.page]) {
          await expectLiveRemoteTiles(p, 1, 30_000)
          await expectRemoteAudio(p, 15_000)
          await expect.poll(() => remoteTiles(p).getByTestId('tile-route').textContent(), { timeout: 15_000 }).toBe('Relayed')
        }
      })
    )
    const mediaMs = Date.now() - clicked

    await capture.stop()
    // Media went to the relay's TURN port from both homes' public addresses.
    const toTurn = capture.summary(`udp and dst host ${relay.ip} and dst port 3478`)
    expect(toTurn.some((l) => l.includes(`IP ${alice.publicIp}.`))).toBe(true)
    expect(toTurn.some((l) => l.includes(`IP ${bob.publicIp}.`))).toBe(true)
    // Nothing tried to leave the lab: no public STUN server, no DNS lookup, nothing.
    const leaked = lab.leakedPackets()
    expect(leaked, `packets that tried to leave the lab:\n${leaked.join('\n')}`).toEqual([])
    expect(lab.leaks()).toEqual({ packets: 0, bytes: 0 })
    console.log(
      `NAT lab (symmetric <-> symmetric through TURN): lab built in ${built - started} ms, joined ${joinedMs} ms after the click, media both ways at ${mediaMs} ms; whole test ${Date.now() - started} ms`
    )
  })
})
