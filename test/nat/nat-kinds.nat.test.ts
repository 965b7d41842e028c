import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { turnSkipReason } from '../support/turn-server'
import { NatLab, type LabRelay } from './lab/nat-lab'
import { probeNat } from './lab/nat-probe'
import type { NatKind } from './lab/network'
import { labUnavailable } from './lab/shell'

const labReason = labUnavailable()
if (labReason) console.log(`skipped: the NAT lab (${labReason})`)
const unavailable = labReason ?? turnSkipReason('the NAT lab')

/**
 * The lab's routers do what their names say, seen from one UDP socket behind each: the address
 * two STUN servers (the coturns of two relays) see it as, and whether a third party's packet to
 * that address gets in. The matrix tests rest on this.
 */
describe.skipIf(unavailable !== null)('NAT lab: the kinds of network', () => {
  let lab: NatLab
  let relays: LabRelay[]
  beforeAll(async () => {
    lab = await NatLab.create()
    relays = await Promise.all([lab.relay(), lab.relay()])
  })
  afterAll(async () => {
    await lab?.close()
  })

  const cases: Array<{ nat: NatKind; sameMapping: boolean | null; strangerGetsIn: boolean }> = [
    { nat: 'none', sameMapping: true, strangerGetsIn: true },
    { nat: 'full-cone', sameMapping: true, strangerGetsIn: true },
    { nat: 'port-restricted', sameMapping: true, strangerGetsIn: false },
    { nat: 'symmetric', sameMapping: false, strangerGetsIn: false },
    { nat: 'udp-blocked', sameMapping: null, strangerGetsIn: false }
  ]
  for (const { nat, sameMapping, strangerGetsIn } of cases) {
    it(`${nat}: ${sameMapping === null ? 'no STUN answer at all' : sameMapping ? 'one mapping for every destination' : 'a new mapping per destination'}; a stranger's packet ${strangerGetsIn ? 'gets in' : 'is dropped'}`, async () => {
      const home = lab.home({ nat, name: nat })
      const probe = await probeNat(
        home.ns,
        relays.map((r) => `${r.ip}:3478`),
        2500
      )
      if (sameMapping === null) {
        expect(probe.mapped).toEqual([null, null])
      } else {
        const [a, b] = probe.mapped
        expect(a?.split(':')[0]).toBe(home.publicIp)
        expect(b?.split(':')[0]).toBe(home.publicIp)
        if (sameMapping) expect(a).toBe(b)
        else expect(a).not.toBe(b)
        if (nat === 'none' || nat === 'full-cone' || nat === 'port-restricted') expect(a?.split(':')[1]).toBe(String(probe.local))
      }
      // The second relay's machine, from a port the socket never sent to, tries the first mapping.
      const target = probe.mapped[0] ?? `${home.publicIp}:${probe.local}`
      const [ip, port] = target.split(':')
      relays[1]!.exec('bash', ['-c', `echo stranger > /dev/udp/${ip}/${port}`])
      const received = await probe.received
      expect(received.some((from) => from.startsWith(`${relays[1]!.ip}:`))).toBe(strangerGetsIn)
    })
  }
})
