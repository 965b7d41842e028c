import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { setTimeout as pause } from 'node:timers/promises'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Connection, Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { dialFastest, type Dialer } from '../../../src/main/core/rooms/fastest-dial'
import { bareNode } from '../../support/attackers'

const nodes: Libp2p[] = []
const servers: Server[] = []
afterEach(async () => {
  await Promise.allSettled(nodes.splice(0).map((n) => n.stop()))
  for (const s of servers.splice(0)) s.close()
})

/** A listener that accepts TCP and then says nothing: a dial to it hangs until its own timeout. */
async function blackHole(): Promise<number> {
  const server = createServer(() => undefined)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

describe('dialling a member at all its addresses at once', () => {
  it('connects through the address that answers, however many before it hang; refuses an address that is someone else', async () => {
    const [a, b, c] = await Promise.all([bareNode(), bareNode(), bareNode()])
    nodes.push(a!, b!, c!)
    const id = b!.peerId.toString()
    const hanging = await Promise.all([blackHole(), blackHole(), blackHole()])
    const good = b!.getMultiaddrs()[0]!
    // Three addresses that never answer come first, as unreachable LAN addresses do in an invite.
    const addrs = [...hanging.map((p) => multiaddr(`/ip4/127.0.0.1/tcp/${p}/p2p/${id}`)), good]
    // libp2p alone tries them in turn, each until its own timeout: a second is not enough.
    await expect(a!.dial(addrs, { signal: AbortSignal.timeout(1_000) }).then(() => 'connected')).rejects.toThrow()
    const connection = await dialFastest(a!, id, addrs, { signal: AbortSignal.timeout(20_000) })
    expect(connection.remotePeer.toString()).toBe(id)

    // An address that claims to be b but is c's: the connection is refused, not used.
    await a!.hangUp(b!.peerId)
    const cAddr = c!.getMultiaddrs()[0]!.toString().replace(c!.peerId.toString(), id)
    await expect(dialFastest(a!, id, [multiaddr(cAddr)], { signal: AbortSignal.timeout(10_000) }).then(() => 'connected')).rejects.toThrow(
      /another peer/
    )
    expect(a!.getConnections(c!.peerId)).toHaveLength(0)
  }, 60_000)
})

/** A connection as far as the race looks at it; `closed` tells whether the race closed it. */
function fakeConnection(id: string, remotePeer: PeerId) {
  const c = { id, remotePeer, status: 'open', closed: false, close: async () => void (c.closed = true) }
  return c
}

/** A node whose dials answer after `delayMs` with the connection given for each address. */
function fakeDialer(
  answers: Map<string, { connection: ReturnType<typeof fakeConnection>; delayMs: number }>,
  open: Connection[] = []
): Dialer {
  return {
    getConnections: () => open,
    dial: async (target: Multiaddr) => {
      const answer = answers.get(target.toString())
      if (!answer) throw new Error(`no answer for ${target.toString()}`)
      await pause(answer.delayMs)
      return answer.connection as unknown as Connection
    }
  }
}

describe('the losers of a dial race', () => {
  it('a relayed address answered with a connection libp2p already had (a session may run on it) is never closed, even when it loses', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const relayed = `/ip4/6.0.0.10/tcp/4001/p2p/${peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()}/p2p-circuit/p2p/${peer.toString()}`
    const shared = fakeConnection('shared', peer)
    const fresh = fakeConnection('fresh', peer)
    const node = fakeDialer(
      new Map([
        [relayed, { connection: shared, delayMs: 40 }],
        ['/ip4/192.168.10.2/tcp/4001', { connection: fresh, delayMs: 0 }]
      ])
    )
    const won = await dialFastest(node, peer.toString(), [
      multiaddr(relayed),
      multiaddr(`/ip4/192.168.10.2/tcp/4001/p2p/${peer.toString()}`)
    ])
    expect(won.id).toBe('fresh')
    await pause(80)
    expect(shared.closed).toBe(false)
  })

  it('a direct connection the race opened and did not need is closed; an open connection is the answer without a dial', async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const fast = fakeConnection('fast', peer)
    const slow = fakeConnection('slow', peer)
    const node = fakeDialer(
      new Map([
        ['/ip4/192.168.10.2/tcp/4001', { connection: fast, delayMs: 0 }],
        ['/ip4/6.0.0.100/tcp/4001', { connection: slow, delayMs: 30 }]
      ])
    )
    const addrs = ['/ip4/192.168.10.2/tcp/4001', '/ip4/6.0.0.100/tcp/4001'].map((a) => multiaddr(`${a}/p2p/${peer.toString()}`))
    expect((await dialFastest(node, peer.toString(), addrs)).id).toBe('fast')
    await pause(60)
    expect([fast.closed, slow.closed]).toEqual([false, true])

    const already = fakeConnection('already', peer) as unknown as Connection
    const none = fakeDialer(new Map(), [already])
    expect((await dialFastest(none, peer.toString(), addrs)).id).toBe('already')
  })
})
