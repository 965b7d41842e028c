import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import type { RoomSession } from '../../../src/main/core/p2p/protocols/room/index'
import type { MemberLinks } from '../../../src/main/core/rooms/member-links'
import { MeshForming } from '../../../src/main/core/rooms/mesh-forming'
import { DEFAULT_MEETING_TUNING } from '../../../src/main/core/rooms/tuning'

async function peer(): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

function mesh(): MeshForming {
  return new MeshForming({
    selfId: 'self',
    links: {} as MemberLinks,
    tuning: DEFAULT_MEETING_TUNING,
    addrsOf: async () => [],
    busyWith: () => false,
    strike: () => undefined
  })
}

/** A live session with `p` that records the frames sent on it. */
function sessionWith(p: PeerId, sent: unknown[]): RoomSession {
  return { peer: p, send: async (frame: unknown) => void sent.push(frame) } as unknown as RoomSession
}

describe('who a welcome lists', () => {
  it('lists a newcomer let in a moment before, until its session is up, and never two to each other', async () => {
    const [alice, bob, carol, dave] = await Promise.all([peer(), peer(), peer(), peer()])
    const m = mesh()
    expect(m.welcome(bob, [alice])).toEqual([alice])
    // Carol clicked Join with Bob: Bob's answer to his welcome is not in yet, so Carol reaches him.
    expect(m.welcome(carol, [alice])).toEqual([alice, bob])
    // Bob's session is up: he is a member now, listed as one (not twice).
    await m.announce(bob, [])
    expect(m.welcome(dave, [alice, bob])).toEqual([alice, bob, carol])
  })

  it('asks nobody to dial when one of the pair was listed to the other', async () => {
    const [bob, carol] = await Promise.all([peer(), peer()])
    const m = mesh()
    m.welcome(bob, [])
    m.welcome(carol, [])
    const toBob: unknown[] = []
    const toCarol: unknown[] = []
    // Carol's welcome listed Bob, so Carol dials him: Bob is only told, not asked to dial her.
    await m.announce(carol, [sessionWith(bob, toBob)])
    expect(toBob).toEqual([{ t: 'members', members: [{ peerId: carol.toString(), addrs: [] }] }])
    // Bob's welcome did not list Carol, but hers listed him: Carol is only told too.
    await m.announce(bob, [sessionWith(carol, toCarol)])
    expect(toCarol).toEqual([{ t: 'members', members: [{ peerId: bob.toString(), addrs: [] }] }])
  })

  it('asks one of a pair to dial the other when neither welcome listed the other', async () => {
    const [bob, carol] = await Promise.all([peer(), peer()])
    const m = mesh()
    // We let Bob in; Carol came in through another member at the same moment and reached us.
    m.welcome(bob, [])
    const toCarol: unknown[] = []
    await m.announce(bob, [sessionWith(carol, toCarol)])
    await m.announce(bob, [sessionWith(carol, toCarol)])
    expect(toCarol).toEqual([
      { t: 'members', members: [{ peerId: bob.toString(), addrs: [] }], dial: true },
      { t: 'members', members: [{ peerId: bob.toString(), addrs: [] }] }
    ])
  })
})
