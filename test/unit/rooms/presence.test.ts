import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { spawnRoomMember, type ChildMember } from '../../support/room-member-process'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
const children: ChildMember[] = []
const dirs: string[] = []
afterEach(async () => {
  await Promise.allSettled(children.splice(0).map((c) => c.kill()))
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('presence', () => {
  it('a member killed with SIGKILL is shown gone within 10 s, and rejoins with the same invite', { timeout: 180_000 }, async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) }))
    )
    members.push(alice!, bob!)
    const room = await alice!.invoke('room.create', { title: 'Crash test' })
    await bob!.invoke('room.join', { invite: room.invite })

    const seedHex = randomBytes(32).toString('hex')
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-child-'))
    dirs.push(dir)
    let t = Date.now()
    const carl = await spawnRoomMember({ seedHex, displayName: 'Carl', invite: room.invite, dir })
    console.log(`child joined after ${Date.now() - t} ms`)
    children.push(carl)
    const carlIs = (presence: string) => (v: { members: Array<{ peerId: string; presence: string }> }) =>
      v.members.some((m) => m.peerId === carl.peerId && m.presence === presence)
    await alice!.waitFor('room.updated', carlIs('present'))
    await bob!.waitFor('room.updated', carlIs('present'))

    const killedAt = Date.now()
    await carl.kill('SIGKILL')
    const seenGone = await Promise.all(
      [alice!, bob!].map(async (m) => {
        await m.waitFor(
          'room.updated',
          (v) =>
            v.members.some(
              (x) => x.peerId === carl.peerId && x.presence === 'gone' && x.goneReason === 'timed-out' && x.route === 'unreachable'
            ),
          10_000
        )
        return Date.now() - killedAt
      })
    )
    expect(Math.max(...seenGone)).toBeLessThan(10_000)
    console.log(`SIGKILLed member shown gone after ${seenGone.join(' / ')} ms`)

    // Same device key, same invite: back in, and shown present again.
    t = Date.now()
    const rejoined = await spawnRoomMember({ seedHex, displayName: 'Carl', invite: room.invite, dir })
    console.log(`child rejoined after ${Date.now() - t} ms`)
    children.push(rejoined)
    expect(rejoined.peerId).toBe(carl.peerId)
    for (const m of [alice!, bob!]) {
      await m.waitFor('room.updated', (v) => {
        const c = v.members.find((x) => x.peerId === carl.peerId)
        return c?.presence === 'present'
      })
    }
    const view = await alice!.invoke('room.current', {})
    expect(view?.members.find((m) => m.peerId === carl.peerId)).toMatchObject({ presence: 'present', displayName: 'Carl' })

    // Frozen, not dead: the connection stays open but the heartbeats stop. Gone within 10 s too.
    const frozenAt = Date.now()
    rejoined.child.kill('SIGSTOP')
    const goneMark = alice!.events.length
    await alice!.waitFor(
      'room.updated',
      (v) => v.members.some((x) => x.peerId === carl.peerId && x.presence === 'gone' && x.goneReason === 'timed-out'),
      10_000,
      goneMark
    )
    console.log(`frozen member shown gone after ${Date.now() - frozenAt} ms`)
    rejoined.child.kill('SIGKILL')
  })

  it('a member who leaves is shown as left at once', async () => {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) }))
    )
    members.push(alice!, bob!)
    const room = await alice!.invoke('room.create', {})
    await bob!.invoke('room.join', { invite: room.invite })
    await bob!.invoke('room.leave', { roomId: room.roomId })
    await bob!.waitFor('room.ended', (e) => e.roomId === room.roomId)
    await alice!.waitFor(
      'room.updated',
      (v) => v.members.some((m) => m.displayName === 'Bob' && m.presence === 'gone' && m.goneReason === 'left'),
      2_000
    )
  })
})
