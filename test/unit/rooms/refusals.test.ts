import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeInvite, parseInvite, roomIdFromKey } from '../../../src/shared/invite'
import { startMember, type TestMember } from '../../support/room-members'
import { TestDirectory, TestIdentity } from '../../support/test-identity'

const directory = new TestDirectory(new Set(['alice.3bot', 'bob.3bot', 'mallory.3bot']))
const members: TestMember[] = []

async function member(
  name: string | undefined,
  displayName: string,
  extra: Partial<ConstructorParameters<typeof TestIdentity>[0]> = {}
): Promise<TestMember> {
  const m = await startMember({ identity: new TestIdentity({ name, displayName, directory, ...extra }) })
  members.push(m)
  return m
}

afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

/** The join fails, and the refused person is told why: as the error and as a room.refused event. */
async function expectRefused(who: TestMember, invite: string, reason: RegExp, code?: string): Promise<void> {
  await expect(who.invoke('room.join', { invite })).rejects.toMatchObject({ code: 'denied', message: expect.stringMatching(reason) })
  const event = await who.waitFor('room.refused', () => true, 1000)
  expect(event.reason).toMatch(reason)
  if (code) expect(event.code).toBe(code)
  expect(await who.invoke('room.current', {})).toBeNull()
}

describe('who may not join', () => {
  it('refuses a wrong room key, a spoofed credential and a broken invite, each with a reason', async () => {
    const [alice, eve, dave] = await Promise.all([member('alice.3bot', 'Alice'), member(undefined, 'Eve'), member(undefined, 'Dave')])
    const room = await alice.invoke('room.create', { title: 'Board' })
    const invite = parseInvite(room.invite)

    // A key of its own (self-consistent invite) pointing at Alice: Alice is in no such meeting,
    // so Dave opens that one himself (nobody is in it) and is not let into Alice's.
    const otherKey = new Uint8Array(randomBytes(32))
    const wrong = encodeInvite({ ...invite, roomKey: otherKey, roomId: roomIdFromKey(otherKey) })
    const own = await dave.invoke('room.join', { invite: wrong })
    expect(own.roomId).not.toBe(invite.roomId)
    expect(own.members).toEqual([])
    expect((await alice.invoke('room.current', {}))?.members).toEqual([])
    await dave.invoke('room.leave', { roomId: own.roomId })

    // The right room id with the wrong key, straight at the protocol: Alice wants proof of the key.
    const node = dave.core.rooms!.libp2p!
    await expect(node.services.room.join(alice.core.rooms!.libp2p!.getMultiaddrs(), invite.roomId, otherKey)).rejects.toMatchObject({
      name: 'RefusedError',
      code: 'wrong-key',
      reason: expect.stringMatching(/invite may be wrong or outdated/)
    })

    // A key edited by hand no longer matches its room id: the invite itself is refused.
    const edited = room.invite.replace(/#./, (m) => (m === '#A' ? '#B' : '#A'))
    await expect(dave.invoke('room.join', { invite: edited })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/damaged/)
    })

    // Eve presents Alice's credential (Alice's device key) from her own device.
    const eveSpoof = await member('alice.3bot', 'Alice', { spoofDeviceKey: await (alice.identity as TestIdentity).devicePublicKeyHex() })
    await expectRefused(eveSpoof, room.invite, /credential for alice\.3bot belongs to another device/, 'identity')

    // Nobody got in.
    expect((await alice.invoke('room.current', {}))?.members).toEqual([])
    void eve
  })

  it('a listed room lets in only listed, verified names', async () => {
    const [alice, bob, mallory, guest] = await Promise.all([
      member('alice.3bot', 'Alice'),
      member('bob.3bot', 'Bob'),
      member('mallory.3bot', 'Mallory'),
      member(undefined, 'Guest')
    ])
    const room = await alice.invoke('room.create', { title: 'Private', rules: { mode: 'listed', names: ['bob.3bot'] } })
    await expectRefused(mallory, room.invite, /mallory\.3bot is not on this meeting's guest list/, 'not-listed')
    await expectRefused(guest, room.invite, /only for the people on its guest list/, 'not-listed')
    const view = await bob.invoke('room.join', { invite: room.invite })
    expect(view.rules).toEqual({ mode: 'listed', names: ['bob.3bot'] })
    expect(view.members.map((m) => m.name)).toEqual(['alice.3bot'])
  })

  it('an ask-to-join room waits for the host, who lets one in and turns one away', async () => {
    const [alice, frank, george] = await Promise.all([
      member('alice.3bot', 'Alice'),
      member(undefined, 'Frank'),
      member(undefined, 'George')
    ])
    const room = await alice.invoke('room.create', { title: 'Office hours', rules: { mode: 'ask' } })

    const frankJoin = frank.invoke('room.join', { invite: room.invite })
    const request = await alice.waitFor('room.join-request', (r) => r.person.displayName === 'Frank')
    await frank.waitFor('room.waiting', (w) => /host to let you in/.test(w.reason))
    await alice.invoke('room.admit', { roomId: room.roomId, peerId: request.person.peerId, admit: true })
    const frankView = await frankJoin
    expect(frankView.members).toEqual([expect.objectContaining({ name: 'alice.3bot', isCreator: true })])

    const georgeJoin = george.invoke('room.join', { invite: room.invite })
    const georgeAsks = await alice.waitFor('room.join-request', (r) => r.person.displayName === 'George')
    await alice.invoke('room.admit', { roomId: room.roomId, peerId: georgeAsks.person.peerId, admit: false })
    await expect(georgeJoin).rejects.toMatchObject({ code: 'denied', message: 'The host did not let you in' })
    expect((await alice.invoke('room.current', {}))?.members.map((m) => m.displayName)).toEqual(['Frank'])
  })
})
