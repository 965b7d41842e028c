import { describe, expect, it } from 'vitest'
import { addrsByPeer } from '../../../src/main/core/rooms/join-race'

const ALICE = '12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo'
const BOB = '12D3KooWRBhwfeP2Y4TCx1SM6s6rp7wq4QGWeCJDdvNpPrEV2BWu'
const RELAY = '12D3KooWLRPJAA5o6Z6e4GhLX4ySgsUK6HKmeaLSxCVzGYyJE6Lb'

describe("an invite's addresses, by the member they reach", () => {
  it('groups them per peer, counts a relay address for its target, and skips bad ones and ourselves', () => {
    const byPeer = addrsByPeer(
      [
        `/ip4/127.0.0.1/tcp/4001/p2p/${ALICE}`,
        `/ip4/192.168.1.5/tcp/4001/p2p/${ALICE}`,
        `/ip4/10.0.0.1/tcp/4002/p2p/${RELAY}/p2p-circuit/p2p/${ALICE}`,
        `/ip4/127.0.0.1/tcp/4003/p2p/${BOB}`,
        '/ip4/127.0.0.1/tcp/4004', // no peer: nobody to ask for
        'not an address'
      ],
      BOB
    )
    expect([...byPeer.keys()]).toEqual([ALICE])
    expect(byPeer.get(ALICE)?.map((a) => a.toString())).toHaveLength(3)
    expect(addrsByPeer([`/ip4/127.0.0.1/tcp/4003/p2p/${BOB}`]).has(BOB)).toBe(true)
  })
})
