import { afterEach, describe, expect, it } from 'vitest'
import { startCore } from '../../../src/main/core/core'
import { memoryLogger } from '../../../src/main/core/log'
import { startMember, type TestMember } from '../../support/room-members'
import { makeTempDir, removeDir } from '../../support/host-process'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

describe('the room service', () => {
  it('restarts its node with the new key when the identity changes; the old meeting ends with a reason', async () => {
    const [ann, ben] = await Promise.all(['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) })))
    members.push(ann!, ben!)
    const room = await ann!.invoke('room.create', {})
    await ben!.invoke('room.join', { invite: room.invite })
    const before = ben!.peerId()

    await ben!.core.rooms!.setIdentity(new TestIdentity({ displayName: 'Ben, signed in' }))
    expect(ben!.peerId()).not.toBe(before)
    expect((await ben!.waitFor('room.ended', (e) => e.roomId === room.roomId)).reason).toMatch(/identity changed/)
    await ann!.waitFor('room.updated', (v) =>
      v.members.some((m) => m.peerId === before && m.presence === 'gone' && m.goneReason === 'left')
    )

    // The new identity joins as a new member.
    const view = await ben!.invoke('room.join', { invite: room.invite })
    expect(view.self).toMatchObject({ displayName: 'Ben, signed in', peerId: ben!.peerId() })
    await ann!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ben, signed in' && m.presence === 'present'))
  })

  it('answers misuse with clear errors', async () => {
    const ann = await startMember({ identity: new TestIdentity({ displayName: 'Ann' }) })
    members.push(ann)
    const room = await ann.invoke('room.create', { title: 'One at a time' })
    await expect(ann.invoke('room.create', {})).rejects.toMatchObject({ code: 'conflict' })
    const other = 'f'.repeat(64)
    await expect(ann.invoke('chat.send', { roomId: other, text: 'hi' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      ann.invoke('signal.send', {
        roomId: room.roomId,
        to: '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T',
        signal: { kind: 'candidate', candidate: null }
      })
    ).rejects.toMatchObject({
      code: 'not-found'
    })
    await expect(
      ann.invoke('room.admit', { roomId: room.roomId, peerId: '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T', admit: true })
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(ann.invoke('room.join', { invite: 'hello' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/dym:\/\/join/)
    })
    await ann.invoke('room.leave', { roomId: room.roomId })
    expect(await ann.invoke('room.current', {})).toBeNull()
    expect(await ann.invoke('chat.history', { roomId: other })).toEqual([])
  })

  it('before anyone signs in: no meeting, and starting one says to sign in first', async () => {
    const dir = makeTempDir()
    const core = await startCore({ dataDir: dir, hostKind: 'headless', log: memoryLogger() })
    try {
      expect(await core.invoke('room.current', {}, { id: 't' })).toEqual({ ok: true, value: null })
      expect(await core.invoke('room.create', { title: 'Too early' }, { id: 't' })).toMatchObject({
        ok: false,
        error: { code: 'denied', message: expect.stringMatching(/sign in/i) }
      })
    } finally {
      await core.stop()
      removeDir(dir)
    }
  })
})

describe('a meeting nobody is in', () => {
  it('is opened again by whoever holds its invite: the organiser rejoins, and someone with the old invite finds them', async () => {
    const [ann, ben] = await Promise.all(['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) })))
    members.push(ann!, ben!)
    const room = await ann!.invoke('room.create', { title: 'Weekly', rules: { mode: 'open' } })
    await ben!.invoke('room.join', { invite: room.invite })
    await ben!.invoke('room.leave', { roomId: room.roomId })
    await ann!.invoke('room.leave', { roomId: room.roomId })

    // Everyone left. The organiser's "Join again": the meeting opens, with her as its host.
    const again = await ann!.invoke('room.join', { invite: room.invite })
    expect(again).toMatchObject({ roomId: room.roomId, title: 'Weekly', members: [], self: { isCreator: true } })
    // Ben, with the old invite, finds her there.
    const view = await ben!.invoke('room.join', { invite: room.invite })
    expect(view.members.map((m) => m.displayName)).toEqual(['Ann'])
    await ann!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ben' && m.presence === 'present'))
  })

  it('is not opened alone when nobody could be reached: that may be our network, and would split the meeting', async () => {
    const [ann, ben] = await Promise.all(['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) })))
    members.push(ben!)
    const room = await ann!.invoke('room.create', { title: 'Gone quiet' })
    await ann!.stop()
    await expect(ben!.invoke('room.join', { invite: room.invite })).rejects.toMatchObject({
      code: 'unavailable',
      message: /Nobody in this meeting could be reached directly, and the invite names no relay/
    })
    expect(await ben!.invoke('room.current', {})).toBeNull()
  })
})
