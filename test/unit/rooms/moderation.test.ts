import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p } from '@libp2p/interface'
import { createRelayNode } from '../../../src/main/core/p2p/relay-node'
import type { IceRefusedError } from '../../../src/main/core/p2p/protocols/ice/index'
import { fetchIceServers } from '../../../src/main/core/p2p/protocols/ice/index'
import { meetingTag, relayMeetingKey } from '../../../src/main/core/p2p/protocols/ice/proof'
import { signModeration } from '../../../src/main/core/rooms/moderation'
import { parseInvite } from '../../../src/shared/invite'
import { bareNode, joinByHand } from '../../support/attackers'
import { startBareNode } from '../../support/relay-client'
import { LOOPBACK, startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
const nodes: Libp2p[] = []
afterEach(async () => {
  await Promise.allSettled(nodes.splice(0).map((n) => n.stop()))
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

const turn = [{ urls: ['turn:127.0.0.1:3478?transport=udp'], username: 'u', credential: 'c' }]

/** A relay whose ICE service hands out `turn`, with no rate limit in the way (the tests ask again and again until a key is retired). */
async function iceRelay(seedByte: number) {
  const relay = await createRelayNode({
    seed: new Uint8Array(32).fill(seedByte),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    allowPrivateAddresses: true,
    ice: { provider: { iceServers: () => ({ iceServers: turn, expiresAt: Date.now() + 3600_000 }) }, requestsPerMinute: 10_000 }
  })
  nodes.push(relay as unknown as Libp2p)
  return { relay, relayAddr: relay.getMultiaddrs()[0]!.toString() }
}

/** Asks the relay from a device of its own with this room key: 'served', or the relay's refusal code. */
async function relayAnswers(relayAddr: string, roomKey: Uint8Array): Promise<() => Promise<string>> {
  const node = await startBareNode()
  nodes.push(node)
  return () =>
    fetchIceServers(node, relayAddr, roomKey).then(
      () => 'served',
      (e: IceRefusedError) => e.code
    )
}

async function meeting(names: string[], network = LOOPBACK) {
  const people = await Promise.all(names.map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network })))
  members.push(...people)
  const [host, ...others] = people
  const room = await host!.invoke('room.create', { title: 'Moderated' })
  for (const p of others) await p.invoke('room.join', { invite: room.invite })
  for (const p of people) {
    await p.waitFor('room.updated', (v) => v.members.filter((m) => m.presence === 'present').length === people.length - 1, 15_000)
  }
  return { room, people }
}

describe('a host who can moderate', () => {
  it("mutes someone and asks someone to unmute: every member's app hears it, signed by the host; a member's own attempt is refused", async () => {
    const { room, people } = await meeting(['Ann', 'Ben', 'Cat'])
    const [ann, ben, cat] = people as [TestMember, TestMember, TestMember]
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'mute', peerId: ben.peerId() } })
    for (const p of [ben, cat]) {
      const heard = await p.waitFor('room.moderated', (e) => e.action.kind === 'mute')
      expect(heard).toMatchObject({ roomId: room.roomId, by: { displayName: 'Ann' }, action: { kind: 'mute', peerId: ben.peerId() } })
    }
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'ask-unmute', peerId: cat.peerId() } })
    await cat.waitFor('room.moderated', (e) => e.action.kind === 'ask-unmute')

    // Ben is not the host: his app refuses, and nobody hears anything from him.
    await expect(ben.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'mute-all' } })).rejects.toMatchObject({
      code: 'denied'
    })
    // The host names Ben co-host: now he may.
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'co-host', peerId: ben.peerId(), granted: true } })
    await cat.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ben' && m.isCoHost))
    await ben.waitFor('room.updated', (v) => v.self.isCoHost)
    await ben.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'mute-all' } })
    await cat.waitFor('room.moderated', (e) => e.action.kind === 'mute-all' && e.by.displayName === 'Ben')
  })

  it('a command someone else signed, or a guest signed for itself, is refused by every app', async () => {
    const { room, people } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const guest = await bareNode()
    nodes.push(guest)
    const session = await joinByHand(guest, ben, room.invite)
    const wireId = room.roomId
    // Signed by the guest itself: it may not moderate.
    const byGuest = await signModeration(
      async (d) => (guest as unknown as { components: { privateKey: { sign(d: Uint8Array): Uint8Array } } }).components.privateKey.sign(d),
      wireId,
      guest.peerId.toString(),
      { kind: 'mute', peerId: ann.peerId() }
    )
    await session.write(byGuest)
    // Claiming to be the host, with a signature that is not the host's.
    await session.write({ ...byGuest, by: ann.peerId() })
    await session.write({ t: 'chat', id: 'marker-after-forgery', seq: 0, sentAt: Date.now(), text: 'after' })
    await ben.waitFor('chat.message', (m) => m.text === 'after')
    expect(ben.events.some((e) => e.event === 'room.moderated')).toBe(false)
  })

  it('removes someone: they are told and out, the key is replaced so the old invite does not let them back, and the others never lose their link', async () => {
    const { room, people } = await meeting(['Ann', 'Ben', 'Cat'])
    const [ann, ben, cat] = people as [TestMember, TestMember, TestMember]
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'remove', peerId: cat.peerId() } })
    expect((await cat.waitFor('room.ended', (e) => e.roomId === room.roomId)).reason).toMatch(/Ann removed you/)
    const benView = await ben.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Cat' && m.goneReason === 'removed'))
    // Ann and Ben are still linked, and the meeting's invite now carries the new key.
    expect(benView.members.find((m) => m.displayName === 'Ann')?.presence).toBe('present')
    expect(benView.invite).not.toBe(room.invite)
    await ben.invoke('chat.send', { roomId: room.roomId, text: 'still here' })
    await ann.waitFor('chat.message', (m) => m.text === 'still here')

    // Cat with the old invite: refused, with the reason.
    await expect(cat.invoke('room.join', { invite: room.invite })).rejects.toMatchObject({
      code: 'denied',
      message: /replaced this meeting's key/
    })
    // Someone new with the new invite gets in; once the host locks the meeting, nobody new does.
    const dan = await startMember({ identity: new TestIdentity({ displayName: 'Dan' }) })
    members.push(dan)
    await dan.invoke('room.join', { invite: benView.invite })
    await dan.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ann' && m.presence === 'present'))
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'lock', locked: true } })
    await ben.waitFor('room.updated', (v) => v.locked)
    const eve = await startMember({ identity: new TestIdentity({ displayName: 'Eve' }) })
    members.push(eve)
    await expect(eve.invoke('room.join', { invite: benView.invite })).rejects.toMatchObject({ code: 'denied', message: /locked/ })
  })

  it("removes someone: the meeting's relay refuses the old key from then on, so they get no more TURN credentials; the others keep theirs", async () => {
    const { relayAddr } = await iceRelay(9)
    const { room, people } = await meeting(['Ann', 'Ben', 'Cat'], { ...LOOPBACK, relays: [relayAddr] })
    const [ann, ben, cat] = people as [TestMember, TestMember, TestMember]
    for (const p of people) await expect.poll(async () => (await p.invoke('room.iceServers', { roomId: room.roomId })).answered).toBe(1)

    const oldKey = parseInvite(room.invite).roomKey
    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'remove', peerId: cat.peerId() } })
    await cat.waitFor('room.ended', (e) => e.roomId === room.roomId)
    // Cat (or anyone holding the old invite) asking the relay directly: refused.
    await expect.poll(await relayAnswers(relayAddr, oldKey), { timeout: 10_000 }).toBe('retired')
    // Ben asks again under the new key and is served.
    const newKey = parseInvite((await ben.invoke('room.current', {}))!.invite).roomKey
    expect(newKey).not.toEqual(oldKey)
    await expect(fetchIceServers(await startBareNode().then((n) => (nodes.push(n), n)), relayAddr, newKey)).resolves.toMatchObject({
      iceServers: turn
    })
    expect((await ben.invoke('room.iceServers', { roomId: room.roomId })).iceServers).toEqual(turn)
  })

  it('a co-host removes someone after the host left: the relay refuses the old key too, as the host had named the co-host to it', async () => {
    const { relay, relayAddr } = await iceRelay(10)
    const { room, people } = await meeting(['Ann', 'Ben', 'Cat'], { ...LOOPBACK, relays: [relayAddr] })
    const [ann, ben, cat] = people as [TestMember, TestMember, TestMember]
    for (const p of people) await expect.poll(async () => (await p.invoke('room.iceServers', { roomId: room.roomId })).answered).toBe(1)
    const oldKey = parseInvite(room.invite).roomKey

    await ann.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'co-host', peerId: ben.peerId(), granted: true } })
    // The host's app names Ben to the relay (what the relay now holds for the meeting).
    const tag = meetingTag(relayMeetingKey(oldKey, relay.peerId.toString()))
    await expect.poll(() => [...(relay.services.ice!.registry.get(tag)?.deputies ?? [])]).toEqual([ben.peerId()])
    await ann.invoke('room.leave', { roomId: room.roomId })
    await ben.invoke('room.moderate', { roomId: room.roomId, action: { kind: 'remove', peerId: cat.peerId() } })
    await cat.waitFor('room.ended', (e) => e.roomId === room.roomId)
    await expect.poll(await relayAnswers(relayAddr, oldKey), { timeout: 10_000 }).toBe('retired')
    expect((await ben.invoke('room.iceServers', { roomId: room.roomId })).iceServers).toEqual(turn)
  })
})
