import { afterEach, describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../../src/shared/contract/index'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

async function threeInARoom(): Promise<[TestMember, TestMember, TestMember, string]> {
  const trio = await Promise.all(['Ann', 'Ben', 'Cat'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }) })))
  members.push(...trio)
  const [a, b, c] = trio as [TestMember, TestMember, TestMember]
  const room = await a.invoke('room.create', { title: 'Chat' })
  await b.invoke('room.join', { invite: room.invite })
  await c.invoke('room.join', { invite: room.invite })
  for (const m of trio) await m.waitFor('room.updated', (v) => v.members.filter((x) => x.presence === 'present').length === 2)
  return [a, b, c, room.roomId]
}

describe('chat', () => {
  it('100 messages from each of three members reach every member exactly once, in per-sender order', { timeout: 60_000 }, async () => {
    let t = Date.now()
    const [a, b, c, roomId] = await threeInARoom()
    console.log(`room of three in ${Date.now() - t} ms`)
    t = Date.now()
    const trio = [a, b, c]
    const PER = 100
    await Promise.all(
      trio.map(async (m, who) => {
        for (let i = 0; i < PER; i++) await m.invoke('chat.send', { roomId, text: `${who}:${i}` })
      })
    )
    console.log(`300 messages sent in ${Date.now() - t} ms`)
    for (const m of trio) {
      const others = trio.filter((x) => x !== m).map((x) => x.peerId())
      // Everything from the other two arrives as events...
      const seen = () => m.events.filter((e) => e.event === 'chat.message').map((e) => e.payload as ChatMessage)
      const missing = () => {
        const got = seen()
        return others.map((o) => PER - got.filter((g) => g.from.peerId === o).length).join('/')
      }
      await expect.poll(missing, { timeout: 20_000, interval: 200 }).toBe('0/0')
      console.log(`all delivered to one member after ${Date.now() - t} ms`)
      const got = seen()
      expect(got).toHaveLength(2 * PER)
      expect(new Set(got.map((g) => `${g.from.peerId}/${g.id}`)).size).toBe(2 * PER)
      for (const sender of others) {
        const fromSender = got.filter((g) => g.from.peerId === sender)
        expect(fromSender).toHaveLength(PER)
        expect(fromSender.map((g) => Number(g.text.split(':')[1]))).toEqual([...Array(PER).keys()])
        expect(fromSender.map((g) => g.seq)).toEqual([...Array(PER).keys()])
      }
      // ...and the history (ours too) holds all 300, each once.
      const history = await m.invoke('chat.history', { roomId })
      expect(history).toHaveLength(3 * PER)
      expect(new Set(history.map((h) => `${h.from.peerId}/${h.id}`)).size).toBe(3 * PER)
    }
  })

  it('keeps the history on disk: a rejoin continues the sequence and shows what was said', async () => {
    const [a, b, , roomId] = await threeInARoom()
    await b.invoke('chat.send', { roomId, text: 'first' })
    await a.waitFor('chat.message', (msg) => msg.text === 'first')
    const invite = (await a.invoke('room.current', {}))!.invite
    await b.invoke('room.leave', { roomId })
    await a.waitFor('room.updated', (v) =>
      v.members.some((m) => m.peerId === b.peerId() && m.presence === 'gone' && m.goneReason === 'left')
    )
    await b.invoke('room.join', { invite })
    const again = await b.invoke('chat.send', { roomId, text: 'second' })
    expect(again.seq).toBe(1)
    expect((await b.invoke('chat.history', { roomId })).map((h) => h.text)).toEqual(['first', 'second'])
    await a.waitFor('chat.message', (msg) => msg.text === 'second')
  })
})
