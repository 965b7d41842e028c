import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { ownAddrs } from '../../../src/main/core/p2p/own-addrs'
import { orderInviteAddrs } from '../../../src/main/core/rooms/invite-addrs'
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

describe('the addresses an invite names', () => {
  it("a public interface address AutoNAT has not confirmed yet is named, before the LAN, the relays' and loopback; what peers observed is not", () => {
    const addressManager = {
      getAddressesWithMetadata: () => [
        { multiaddr: multiaddr('/ip4/127.0.0.1/tcp/4001'), type: 'transport', verified: true },
        { multiaddr: multiaddr('/ip4/192.168.1.5/tcp/4001'), type: 'transport', verified: true },
        { multiaddr: multiaddr('/ip4/6.0.0.200/tcp/4001'), type: 'transport', verified: false },
        { multiaddr: multiaddr('/ip4/6.0.0.201/tcp/53124'), type: 'observed', verified: false }
      ]
    }
    const own = ownAddrs()({ addressManager, peerId: peerIdFromString(ALICE) } as unknown as Parameters<ReturnType<typeof ownAddrs>>[0])
    const confirmed = [`/ip4/127.0.0.1/tcp/4001/p2p/${ALICE}`, `/ip4/10.0.0.1/tcp/4002/p2p/${RELAY}/p2p-circuit/p2p/${ALICE}`]
    expect(orderInviteAddrs([...confirmed, ...own.interfaceAddrs()])).toEqual([
      `/ip4/6.0.0.200/tcp/4001/p2p/${ALICE}`,
      `/ip4/192.168.1.5/tcp/4001/p2p/${ALICE}`,
      `/ip4/10.0.0.1/tcp/4002/p2p/${RELAY}/p2p-circuit/p2p/${ALICE}`,
      `/ip4/127.0.0.1/tcp/4001/p2p/${ALICE}`
    ])
  })
})
