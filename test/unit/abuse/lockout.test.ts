import { afterEach, describe, expect, it } from 'vitest'
import { ROOM_PROTOCOL } from '../../../src/main/core/p2p/protocols/room/constants'
import { silentStreams } from '../../support/attackers'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
const attacks: Array<{ stop(): Promise<void> }> = []
afterEach(async () => {
  await Promise.allSettled(attacks.splice(0).map((a) => a.stop()))
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

describe('a stranger who can reach a member cannot lock others out', () => {
  it('8 peers holding silent room-protocol streams (and reopening them): 5 of 5 honest joins still get in', async () => {
    const ann = await startMember({ identity: new TestIdentity({ displayName: 'Ann' }) })
    members.push(ann)
    const room = await ann.invoke('room.create', { title: 'Under siege' })
    const target = ann.core.rooms!.libp2p!.getMultiaddrs()
    // Nothing about the room is needed: a stream that never says hello.
    for (let i = 0; i < 8; i++) attacks.push(await silentStreams(target, ROOM_PROTOCOL, 4))
    // Let the attack fill every slot it can before anyone tries to join.
    await expect.poll(() => ann.core.rooms!.libp2p!.getConnections().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(8)

    const joinTimes: number[] = []
    for (let i = 0; i < 5; i++) {
      const guest = await startMember({ identity: new TestIdentity({ displayName: `Guest ${i}` }) })
      members.push(guest)
      const started = Date.now()
      const view = await guest.invoke('room.join', { invite: room.invite })
      joinTimes.push(Date.now() - started)
      expect(view.roomId).toBe(room.roomId)
      await guest.invoke('room.leave', { roomId: room.roomId })
    }
    console.log(`joins under attack: ${joinTimes.join(', ')} ms`)
  }, 120_000)
})
