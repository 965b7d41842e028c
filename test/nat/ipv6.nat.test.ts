import { afterEach, describe, expect, it } from 'vitest'
import { parseInvite } from '../../src/shared/invite'
import { turnSkipReason } from '../support/turn-server'
import { describeRoute, fetchIceFor, meetPair, prepareParticipant } from './lab/meet'
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

describe.skipIf(unavailable !== null)('NAT lab: IPv6 only', () => {
  it('two machines with nothing but a public IPv6 address meet: the invite carries the IPv6 address, media flows directly over IPv6, nothing leaves the lab', async () => {
    lab = await NatLab.create()
    const [alice, bob] = await Promise.all([
      lab.participant({ name: 'alice6', nat: 'none', ipv6Only: true }),
      lab.participant({ name: 'bob6', nat: 'none', ipv6Only: true })
    ])
    await Promise.all([alice, bob].map(prepareParticipant))
    lab.resetLeaks()
    const r = await meetPair(lab, alice, bob, null)
    expect(parseInvite(r.invite).addrs.some((a) => a.startsWith(`/ip6/${alice.publicIp}/`))).toBe(true)
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
  it('TURN over IPv6: the same pair, told to use only relayed candidates, gets its media through a dual-stack relay over IPv6', async () => {
    lab = await NatLab.create()
    const relay = await lab.relay({ dualStack: true })
    const [alice, bob] = await Promise.all([
      lab.participant({ name: 'alice6', nat: 'none', ipv6Only: true }),
      lab.participant({ name: 'bob6', nat: 'none', ipv6Only: true })
    ])
    await Promise.all([alice, bob].map(prepareParticipant))
    const setup = { ...(await fetchIceFor([alice, bob], [relay])), iceTransportPolicy: 'relay' as const }
    const turnUrls = setup.iceOf.get(alice)!.flatMap((s) => s.urls)
    expect(turnUrls.some((u) => u.startsWith('turn:[2a00:6::'))).toBe(true)
    lab.resetLeaks()
    const r = await meetPair(lab, alice, bob, setup)
    for (const route of r.routes) {
      expect(route.route).toBe('Relayed')
      expect(route.local.address).toContain(':')
    }
    console.log(`IPv6 only, TURN: ${describeRoute(r.routes[0]!)}; first frame both ways ${r.mediaMs} ms after the join click`)
    expect(lab.leaks()).toEqual({ packets: 0, bytes: 0 })
  })
})
