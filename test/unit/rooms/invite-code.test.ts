import { randomBytes } from 'node:crypto'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { askForInvite, codeKey, InviteRefusedError } from '../../../src/main/core/p2p/protocols/invite/index'
import { ASKS_PER_PEER_PER_MINUTE } from '../../../src/main/core/p2p/protocols/invite/constants'
import { parseInvite } from '../../../src/shared/invite'
import { inviteCodeOf, readInviteCode } from '../../../src/shared/invite-code'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

describe('the short code', () => {
  it('is 10 readable characters from the room key, read back whatever the case, spaces or dashes', () => {
    const codes = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const code = inviteCodeOf(new Uint8Array(randomBytes(32)))
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)
      expect(readInviteCode(code)).toBe(code)
      expect(readInviteCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code)
      codes.add(code)
    }
    expect(codes.size).toBe(200)
    // Crockford's forgiving reading: O is 0, I and L are 1.
    expect(readInviteCode('ko7q-m2lp-di')).toBe(readInviteCode('K07Q-M21P-D1'))
    for (const notACode of ['', 'dym://join/abc#def', 'K7QM-2XPD-9', 'K7QM-2XPD-9FF', 'K7QM-2XPD-9U', 'K7QM 2XPD 9F!'])
      expect(readInviteCode(notACode)).toBeNull()
  })
})

const members: TestMember[] = []
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

function lan() {
  // A service tag of our own: other test runs on this machine must not answer.
  return {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: { serviceTag: `dym-code-${process.pid}-${Date.now()}.local`, intervalMs: 1000 },
    dht: 'off' as const
  }
}

describe('joining with the short code on the LAN', () => {
  it('a newcomer who has only the code gets the invite from a member and joins', async () => {
    const network = lan()
    const [ann, ben, cid] = await Promise.all(
      ['Ann', 'Ben', 'Cid'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!, cid!)
    const room = await ann!.invoke('room.create', { title: 'Code review' })
    await ben!.invoke('room.join', { invite: room.invite })
    // The creator has left: any member answers to the code.
    await ann!.invoke('room.leave', { roomId: room.roomId })

    const { invite } = await cid!.invoke('room.find-invite', { code: room.inviteCode.toLowerCase().replace(/-/g, ' ') })
    expect(parseInvite(invite)).toMatchObject({ roomId: room.roomId, title: 'Code review' })
    const view = await cid!.invoke('room.join', { invite })
    expect(view.members.map((m) => m.displayName)).toEqual(['Ben'])
    expect(view.inviteCode).toBe(room.inviteCode)
  })

  it('a wrong code finds nothing and says what to do; not a code at all is refused at once', async () => {
    const network = lan()
    const [ann, ben] = await Promise.all(
      ['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!)
    const room = await ann!.invoke('room.create', { title: 'Secret' })
    const wrong = room.inviteCode.startsWith('0') ? `1${room.inviteCode.slice(1)}` : `0${room.inviteCode.slice(1)}`
    await expect(ben!.invoke('room.find-invite', { code: wrong })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^No meeting answered to this code\. Check the code.*ask for the invite link\.$/)
    })
    await expect(ben!.invoke('room.find-invite', { code: 'dym://join/x' })).rejects.toMatchObject({ code: 'bad-request' })
    // Ann is still in her meeting and answers the right code.
    expect(parseInvite((await ben!.invoke('room.find-invite', { code: room.inviteCode })).invite).roomId).toBe(room.roomId)
  })
})

describe('what a stranger who reaches a member can get', () => {
  it('nothing without the code: a proof made for another member, a wrong code, and guessing past the limit are all refused', async () => {
    const [ann, eve] = await Promise.all(['Ann', 'Eve'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) })))
    members.push(ann!, eve!)
    const room = await ann!.invoke('room.create', { title: 'Board' })
    const eveNode = eve!.core.rooms!.libp2p!
    const annNode = ann!.core.rooms!.libp2p!
    await eveNode.dial(annNode.getMultiaddrs()[0]!)
    const annId = peerIdFromString(ann!.peerId())
    const signal = AbortSignal.timeout(10_000)

    // The right code, but the proof bound to somebody else (what a member who was asked could replay).
    const key = await codeKey(room.inviteCode)
    const replayed = { ...eveNode, peerId: peerIdFromString(annNode.peerId.toString()), dialProtocol: eveNode.dialProtocol.bind(eveNode) }
    await expect(askForInvite(replayed, annId, key, signal)).rejects.toMatchObject({ code: 'unknown' })

    let refusedAs: string | undefined
    for (let i = 0; i < ASKS_PER_PEER_PER_MINUTE + 1; i++) {
      const wrong = await codeKey(inviteCodeOf(new Uint8Array(randomBytes(32))))
      const err = await askForInvite(eveNode, annId, wrong, signal).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(InviteRefusedError)
      refusedAs = (err as InviteRefusedError).code
    }
    expect(refusedAs).toBe('rate-limited')
    // Even the right code waits out the limit, and Ann's meeting carries on.
    await expect(askForInvite(eveNode, annId, key, signal)).rejects.toMatchObject({ code: 'rate-limited' })
    expect((await ann!.invoke('room.current', {}))?.roomId).toBe(room.roomId)
  })
})
