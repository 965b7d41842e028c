import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseInvite } from '../../src/shared/invite'
import { turnSkipReason } from '../support/turn-server'
import { describeRoute, meetPair, prepareParticipant, type RelaySetup } from './lab/meet'
import { NatLab, type LabRelay, type Participant } from './lab/nat-lab'
import { labUnavailable } from './lab/shell'

const labReason = labUnavailable()
if (labReason) console.log(`skipped: the NAT lab (${labReason})`)
const unavailable = labReason ?? turnSkipReason('the NAT lab')

/**
 * Two machines with nothing but a public IPv6 address (no IPv4 besides their own loopback) and
 * a relay with an IPv4 and an IPv6 address, named in the creator's Settings; the joiner's are empty.
 */
describe.skipIf(unavailable !== null)('NAT lab: IPv6 only', () => {
  let lab: NatLab
  let relay: LabRelay
  let alice: Participant
  let bob: Participant
  let setup: RelaySetup
  beforeAll(async () => {
    lab = await NatLab.create()
    relay = await lab.relay({ dualStack: true })
    ;[alice, bob] = await Promise.all([
      lab.participant({ name: 'alice6', nat: 'none', ipv6Only: true }),
      lab.participant({ name: 'bob6', nat: 'none', ipv6Only: true })
    ])
    await Promise.all([alice, bob].map(prepareParticipant))
    setup = { relays: [relay] }
  }, 180_000)
  afterAll(async () => {
    await lab?.close()
  }, 120_000)

  it('they meet: signalling through the relay over IPv6, media directly over IPv6; nothing leaves the lab', async () => {
    lab.resetLeaks()
    const r = await meetPair(lab, alice, bob, setup)
    expect(parseInvite(r.invite).addrs.some((a) => a.startsWith('/ip6/2a00:6::'))).toBe(true)
    for (const route of r.routes) {
      expect(route.route).toBe('Direct')
      expect(route.local.address).toContain(':')
      expect(route.remote.address).toContain(':')
    }
    console.log(`IPv6 only: ${describeRoute(r.routes[0]!)}; first frame both ways ${r.mediaMs} ms after the join click`)
    const leaked = lab.leakedPackets()
    expect(leaked, `packets that tried to leave the lab:\n${leaked.join('\n')}`).toEqual([])
    expect(lab.leaks()).toEqual({ packets: 0, bytes: 0 })
  })

  it('TURN over IPv6: told to use only relayed candidates, the same pair gets its media through the relay over IPv6', async () => {
    let turnUrls: string[] = []
    const r = await meetPair(lab, alice, bob, { ...setup, iceTransportPolicy: 'relay' }, async (call) => {
      // What the joiner's app got from the meeting's relay (it has nothing in Settings).
      const roomId = parseInvite(call.invite).roomId
      const ice = (await bob.page.evaluate(`window.dym.invoke('room.iceServers', { roomId: ${JSON.stringify(roomId)} })`)) as {
        iceServers: Array<{ urls: string | string[] }>
      }
      turnUrls = ice.iceServers.flatMap((s) => (Array.isArray(s.urls) ? s.urls : [s.urls]))
    })
    expect(
      turnUrls.some((u) => u.startsWith('turn:[2a00:6::')),
      turnUrls.join(' ')
    ).toBe(true)
    // Each side reached TURN over IPv6 (the address TURN relays from may be either family).
    for (const route of r.routes) {
      expect(route.route).toBe('Relayed')
      expect(route.local.type).toBe('relay')
      expect(route.local.url).toMatch(/^turns?:\[2a00:6::/)
    }
    console.log(`IPv6 only, TURN: ${describeRoute(r.routes[0]!)}; first frame both ways ${r.mediaMs} ms after the join click`)
    expect(lab.leaks()).toEqual({ packets: 0, bytes: 0 })
  })
})
