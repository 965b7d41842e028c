import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

async function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(0, '::1', () => server.close(() => resolve(true)))
  })
}

const hasV6 = await ipv6Loopback()
if (!hasV6) console.log('skipped: this machine has no IPv6 loopback (::1), so two nodes cannot meet over it')
const members: TestMember[] = []
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

describe('IPv6', () => {
  it.skipIf(!hasV6)('two nodes meet over ::1', async () => {
    const network = { listen: ['/ip6/::1/tcp/0'], mdns: false as const, dht: 'off' as const }
    const [a, b] = await Promise.all(
      ['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(a!, b!)
    const room = await a!.invoke('room.create', {})
    expect(room.invite).toContain(encodeURIComponent('/ip6/::1/tcp/'))
    const view = await b!.invoke('room.join', { invite: room.invite })
    expect(view.members).toEqual([expect.objectContaining({ displayName: 'Ann', route: 'direct' })])
    const conns = b!.core.rooms!.libp2p!.getConnections()
    expect(conns.map((c) => c.remoteAddr.toString())).toContainEqual(expect.stringMatching(/^\/ip6\/::1\/tcp\/\d+/))
  })
})
