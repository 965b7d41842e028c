import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { bareNode, joinByHand } from '../../support/attackers'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
const nodes: Libp2p[] = []
const servers: Server[] = []
afterEach(async () => {
  await Promise.allSettled(nodes.splice(0).map((n) => n.stop()))
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
  for (const s of servers.splice(0)) s.close()
})

/** TCP listeners of the prober's (one per port) that count who connects to them. */
async function countingListeners(count: number): Promise<{ ports: number[]; connects(): number }> {
  let connects = 0
  const ports: number[] = []
  for (let i = 0; i < count; i++) {
    const server = createServer((socket) => {
      connects++
      socket.destroy()
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    ports.push((server.address() as AddressInfo).port)
  }
  return { ports, connects: () => connects }
}

async function madeUpPeers(count: number, ports: number[]) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      // Eight addresses each (the most a frame may carry), all the prober's listeners.
      return { peerId, addrs: ports.map((port) => `/ip4/127.0.0.1/tcp/${port}/p2p/${peerId}`) }
    })
  )
}

describe('a member cannot make the others dial for it', () => {
  it('five frames of 25 made-up members at 8 addresses each: only a few dials, bounded per member, then none', async () => {
    const ann = await startMember({ identity: new TestIdentity({ displayName: 'Ann' }) })
    members.push(ann)
    const room = await ann.invoke('room.create', { title: 'Gossip' })
    const listener = await countingListeners(8)
    const guest = await bareNode()
    nodes.push(guest)
    const session = await joinByHand(guest, ann, room.invite)

    for (let i = 0; i < 5; i++) await session.write({ t: 'members', members: await madeUpPeers(25, listener.ports), dial: true })
    // Frames on one session are handled in order: once this chat is shown, every list was read.
    await session.write({ t: 'chat', id: 'marker-after-gossip', seq: 0, sentAt: Date.now(), text: 'done' })
    await ann.waitFor('chat.message', (m) => m.text === 'done')
    // Every dial the lists caused has finished (the meeting counts the ones it started and settled).
    await expect.poll(() => ann.core.rooms!.diagnostics().gossipDials, { timeout: 30_000, interval: 200 }).toMatchObject({ pending: 0 })
    const { started } = ann.core.rooms!.diagnostics().gossipDials
    console.log(`125 made-up members (1,000 addresses) in 5 frames: ${started} dialled, ${listener.connects()} TCP connects to the prober`)
    // Before: every entry was dialled at every address (1,000 connects). Now a member's lists cost at most a
    // handful of dials, and none once its tips have failed.
    expect(started).toBeLessThanOrEqual(8)
    expect(listener.connects()).toBeLessThanOrEqual(8 * 4)
  }, 90_000)
})
