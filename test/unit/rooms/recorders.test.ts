import { afterEach, describe, expect, it } from 'vitest'
import type { RoomView } from '../../../src/shared/contract/index'
import { startMember, type TestMember } from '../../support/room-members'
import { TestDirectory, TestIdentity } from '../../support/test-identity'

const directory = new TestDirectory(new Set(['alice.3bot', 'bob.3bot', 'carol.3bot']))
const members: TestMember[] = []

async function member(name: string, displayName: string): Promise<TestMember> {
  const m = await startMember({ identity: new TestIdentity({ name, displayName, directory }) })
  members.push(m)
  return m
}

afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

const recorders = (v: RoomView) => v.recorders.map((p) => p.displayName).join(',')

describe('who is recording, when several record at once', () => {
  it('one stopping leaves the other shown; a recorder who leaves is no longer shown; a late joiner learns who records', async () => {
    const [alice, bob, carol] = await Promise.all([member('alice.3bot', 'Alice'), member('bob.3bot', 'Bob'), member('carol.3bot', 'Carol')])
    const room = await alice.invoke('room.create', { title: 'Standup' })
    await bob.invoke('room.join', { invite: room.invite })
    await bob.waitFor('room.updated', (v) => v.members.some((m) => m.name === 'alice.3bot' && m.presence === 'present'))

    await alice.invoke('notice.send', { roomId: room.roomId, notice: { kind: 'recording-started' } })
    await bob.invoke('notice.send', { roomId: room.roomId, notice: { kind: 'recording-started' } })
    const since = carol.events.length
    await carol.invoke('room.join', { invite: room.invite })
    // Late joiner: each recorder tells it on arrival.
    await carol.waitFor('room.updated', (v) => recorders(v) === 'Alice,Bob' || recorders(v) === 'Bob,Alice', 10_000, since)

    // Bob stops: Alice still records, and everyone must still see it (it used to vanish).
    const stopped = carol.events.length
    await bob.invoke('notice.send', { roomId: room.roomId, notice: { kind: 'recording-stopped' } })
    await carol.waitFor('room.updated', (v) => recorders(v) === 'Alice', 10_000, stopped)
    expect(recorders((await bob.invoke('room.current', {}))!)).toBe('Alice')

    // Alice leaves while recording: nobody is shown recording any more.
    await alice.invoke('room.leave', { roomId: room.roomId })
    await carol.waitFor(
      'room.updated',
      (v) => v.recorders.length === 0 && v.members.every((m) => m.name !== 'alice.3bot' || m.presence === 'gone'),
      10_000
    )
    await bob.waitFor('room.updated', (v) => v.recorders.length === 0, 10_000)
  })

  it("a recording's consent request is in the room view, so one who joins while it runs is asked; only a recorder asks for its own", async () => {
    const [alice, bob, carol] = await Promise.all([member('alice.3bot', 'Alice'), member('bob.3bot', 'Bob'), member('carol.3bot', 'Carol')])
    const room = await alice.invoke('room.create', { title: 'Consent' })
    const aliceId = room.self.peerId
    await bob.invoke('room.join', { invite: room.invite })
    await bob.waitFor('room.updated', (v) => v.members.some((m) => m.name === 'alice.3bot' && m.presence === 'present'))
    const consent = { id: 'A'.repeat(22), recorder: aliceId }
    await alice.invoke('notice.send', { roomId: room.roomId, notice: { kind: 'recording-started', consent } })
    // Bob records too, but claims Alice's request as his: nobody is asked for it in his name.
    await bob.invoke('notice.send', {
      roomId: room.roomId,
      notice: { kind: 'recording-started', consent: { id: 'B'.repeat(22), recorder: aliceId } }
    })
    await bob.waitFor('room.updated', (v) => recorders(v) === 'Alice,Bob' || recorders(v) === 'Bob,Alice')

    const since = carol.events.length
    await carol.invoke('room.join', { invite: room.invite })
    const seen = await carol.waitFor('room.updated', (v) => v.recorders.length === 2 && v.consentRequests.length > 0, 10_000, since)
    expect(seen.consentRequests).toEqual([consent])

    await alice.invoke('notice.send', { roomId: room.roomId, notice: { kind: 'recording-stopped' } })
    await carol.waitFor('room.updated', (v) => v.consentRequests.length === 0 && recorders(v) === 'Bob', 10_000)
  })
})
