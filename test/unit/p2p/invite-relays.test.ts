import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { relaysFromAddrs, withRelayRoutes } from '../../../src/main/core/rooms/invite-addrs'
import { addrsByPeer } from '../../../src/main/core/rooms/join-race'
import {
  encodeInvite,
  InviteError,
  MAX_INVITE_CHARS,
  MAX_INVITE_RELAYS,
  MAX_RELAY_ADDRS,
  parseInvite,
  roomIdFromKey
} from '../../../src/shared/invite'

const key = new Uint8Array(randomBytes(32))
const roomId = roomIdFromKey(key)
const peer = '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T'
const relayA = '12D3KooWDFVt3nDAGrHJuRkL3w165HhTJn8qgvchrkpS6J22zWMQ'
const relayB = '12D3KooWKLx9FsfnEA4L1fuUPptoV9j3X62DvCwk8Gt2Nsn69MJc'
const memberAddrs = [`/ip4/192.168.1.20/tcp/4001/p2p/${peer}`]

function refusal(link: string): string {
  try {
    parseInvite(link)
  } catch (err) {
    expect(err).toBeInstanceOf(InviteError)
    return (err as Error).message
  }
  throw new Error('the invite was accepted')
}

describe('invites name the meeting relays', () => {
  it('round-trips relays (peer id and addresses), before the member addresses', () => {
    const relays = [
      { peerId: relayA, addrs: [`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`, `/ip4/6.0.0.10/tcp/4002/ws`] },
      { peerId: relayB, addrs: [`/dns4/relay.example.org/tcp/443/wss/p2p/${relayB}`] }
    ]
    const link = encodeInvite({ roomId, roomKey: key, title: 'x', addrs: memberAddrs, relays })
    expect(link.indexOf('r=')).toBeLessThan(link.indexOf('a='))
    expect(parseInvite(link).relays).toEqual([
      { peerId: relayA, addrs: [`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`, `/ip4/6.0.0.10/tcp/4002/ws/p2p/${relayA}`] },
      { peerId: relayB, addrs: [`/dns4/relay.example.org/tcp/443/wss/p2p/${relayB}`] }
    ])
    expect(parseInvite(link).addrs).toEqual(memberAddrs)
  })

  it('an invite without relays (or from an older version) has none', () => {
    expect(parseInvite(encodeInvite({ roomId, roomKey: key, title: '', addrs: memberAddrs })).relays).toEqual([])
  })

  it('keeps at most a few relays and a few addresses each, and stays under the length limit', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({
      peerId: i % 2 ? relayA : relayB,
      addrs: Array.from({ length: 6 }, (_, j) => `/dns4/relay-${i}-${j}-${'x'.repeat(150)}.example.org/tcp/443/wss`)
    }))
    const link = encodeInvite({ roomId, roomKey: key, title: 't', addrs: memberAddrs, relays: many })
    expect(link.length).toBeLessThanOrEqual(MAX_INVITE_CHARS)
    const parsed = parseInvite(link)
    expect(parsed.relays.length).toBeLessThanOrEqual(MAX_INVITE_RELAYS)
    for (const r of parsed.relays) expect(r.addrs.length).toBeLessThanOrEqual(MAX_RELAY_ADDRS)

    // A hand-made link with hundreds of relay parameters: bounded on the way in too.
    const flood = Array.from({ length: 200 }, (_, i) => `r=${encodeURIComponent(`/ip4/6.0.${i}.1/tcp/1/p2p/${i % 2 ? relayA : relayB}`)}`)
    const forged = `dym://join/${roomId}?${flood
      .join('&')
      .slice(0, 3500)
      .replace(/&[^&]*$/, '')}#${link.split('#')[1]}`
    const read = parseInvite(forged)
    expect(read.relays.length).toBeLessThanOrEqual(MAX_INVITE_RELAYS)
    expect(read.relays.flatMap((r) => r.addrs).length).toBeLessThanOrEqual(MAX_INVITE_RELAYS * MAX_RELAY_ADDRS)
  })

  it('refuses a relay that is not one relay address, with its position', () => {
    const good = encodeInvite({
      roomId,
      roomKey: key,
      title: '',
      addrs: [],
      relays: [{ peerId: relayA, addrs: ['/ip4/6.0.0.10/tcp/4001'] }]
    })
    const swap = (value: string) => good.replace(/r=[^#&]+/, `r=${encodeURIComponent(value)}`)
    expect(refusal(swap('/ip4/6.0.0.10/tcp/4001'))).toMatch(/Relay 1 in the invite is not a relay address/)
    expect(refusal(swap(`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}/p2p-circuit/p2p/${peer}`))).toMatch(/Relay 1 .* not a relay address/)
    expect(refusal(swap(`/p2p/${relayA}`))).toMatch(/Relay 1 .* not a relay address/)
    expect(refusal(swap('/ip4/nonsense'))).toMatch(/Relay 1 .* not a relay address/)
    expect(refusal(swap(`/ip4/6.0.0.10/tcp/4001/p2p/notapeerid`))).toMatch(/Relay 1 .* not a relay address/)
    expect(refusal(swap(`/dns4/${'x'.repeat(500)}/tcp/1/p2p/${relayA}`))).toMatch(/Relay 1 in the invite is too long/)
  })
})

describe('a joiner reaches members through the invite relays', () => {
  const relays = [{ peerId: relayA, addrs: [`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`] }]

  it('adds a circuit through every relay for every member, once', () => {
    const byPeer = withRelayRoutes(addrsByPeer(memberAddrs), relays)
    expect(byPeer.get(peer)!.map(String)).toEqual([...memberAddrs, `/ip4/6.0.0.10/tcp/4001/p2p/${relayA}/p2p-circuit/p2p/${peer}`])
    const again = withRelayRoutes(byPeer, relays)
    expect(again.get(peer)!.length).toBe(2)
  })

  it('never routes a relay through itself', () => {
    const byPeer = withRelayRoutes(addrsByPeer([`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`]), relays)
    expect(byPeer.get(relayA)!.map(String)).toEqual([`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`])
  })

  it('reads settings relays (multiaddrs with a peer id) as relays, skipping what is not one', () => {
    expect(
      relaysFromAddrs([
        `/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`,
        `/ip4/6.0.0.10/tcp/4002/ws/p2p/${relayA}/`,
        'nonsense',
        '/ip4/1.2.3.4/tcp/1'
      ])
    ).toEqual([{ peerId: relayA, addrs: [`/ip4/6.0.0.10/tcp/4001/p2p/${relayA}`, `/ip4/6.0.0.10/tcp/4002/ws/p2p/${relayA}`] }])
  })
})
