import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Libp2p } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { afterEach, describe, expect, it } from 'vitest'
import { dialFastest } from '../../../src/main/core/rooms/fastest-dial'
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
    const cAddr = c!.getMultiaddrs()[0]!.toString().replace(c!.peerId.toString(), id)
    await expect(dialFastest(a!, id, [multiaddr(cAddr)], { signal: AbortSignal.timeout(10_000) }).then(() => 'connected')).rejects.toThrow(
      /another peer/
    )
    expect(a!.getConnections(c!.peerId)).toHaveLength(0)
  }, 60_000)
})
