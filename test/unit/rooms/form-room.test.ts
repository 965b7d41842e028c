import { afterEach, describe, expect, it } from 'vitest'
import type { RoomView } from '../../../src/shared/contract/index'
import { startMember, type TestMember } from '../../support/room-members'
import { TestDirectory, TestIdentity } from '../../support/test-identity'

const directory = new TestDirectory(new Set(['alice.3bot', 'bob.3bot', 'carol.3bot', 'mallory.3bot']))
const members: TestMember[] = []

async function member(name: string | undefined, displayName: string, extra: Partial<ConstructorParameters<typeof TestIdentity>[0]> = {}): Promise<TestMember> {
  const m = await startMember({ identity: new TestIdentity({ name, displayName, directory, ...extra }) })
  members.push(m)
  return m
}

afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

const presentVerified = (view: RoomView, names: string[]) =>
  names.every((n) => view.members.some((m) => m.name === n && m.presence === 'present' && m.verification === 'verified'))

describe('a room from one invite', () => {
  it('three members each see the other two as verified members', async () => {
    const [alice, bob, carol] = await Promise.all([member('alice.3bot', 'Alice'), member('bob.3bot', 'Bob'), member('carol.3bot', 'Carol')])
    const room = await alice.invoke('room.create', { title: 'Standup' })
    expect(room.invite).toMatch(/^dym:\/\/join\/[0-9a-f]{64}\?/)
    expect(room.self).toMatchObject({ name: 'alice.3bot', verification: 'verified', isCreator: true })

    const bobView = await bob.invoke('room.join', { invite: room.invite })
    expect(bobView.title).toBe('Standup')
    await carol.invoke('room.join', { invite: room.invite })

    await alice.waitFor('room.updated', (v) => presentVerified(v, ['bob.3bot', 'carol.3bot']))
    await bob.waitFor('room.updated', (v) => presentVerified(v, ['alice.3bot', 'carol.3bot']))
    await carol.waitFor('room.updated', (v) => presentVerified(v, ['alice.3bot', 'bob.3bot']))
    const carolNow = await carol.invoke('room.current', {})
    expect(carolNow?.members.map((m) => m.name).sort()).toEqual(['alice.3bot', 'bob.3bot'])
    expect(carolNow?.members.find((m) => m.name === 'alice.3bot')).toMatchObject({ isCreator: true, route: 'direct' })
  })
})
