import { afterEach, describe, expect, it } from 'vitest'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

describe('mDNS on the LAN', () => {
  it('a newcomer whose invite only names the creator, who has left, finds the others on the LAN', async () => {
    // A service tag of our own: other test runs on this machine must not answer.
    const network = {
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: { serviceTag: `dym-test-${process.pid}-${Date.now()}.local`, intervalMs: 1000 },
      dht: 'off' as const
    }
    const [ann, ben, cid] = await Promise.all(
      ['Ann', 'Ben', 'Cid'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!, cid!)
    const room = await ann!.invoke('room.create', { title: 'LAN party' })
    await ben!.invoke('room.join', { invite: room.invite })
    await ann!.invoke('room.leave', { roomId: room.roomId })

    const view = await cid!.invoke('room.join', { invite: room.invite })
    expect(view.members.map((m) => m.displayName)).toEqual(['Ben'])
    await ben!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Cid' && m.presence === 'present'))
  })
})
