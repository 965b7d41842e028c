import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { FILE_PROTOCOL, FileChannel } from '../../../src/main/core/p2p/protocols/file/index'
import type { FileTransfer } from '../../../src/shared/contract/index'
import { bareNode } from '../../support/attackers'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

const members: TestMember[] = []
const cleanups: Array<() => Promise<unknown>> = []
afterEach(async () => {
  await Promise.allSettled(cleanups.splice(0).map((c) => c()))
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
})

async function meeting(names: string[], files?: { stallMs: number }): Promise<{ people: TestMember[]; roomId: string; invite: string }> {
  const people = await Promise.all(
    names.map((displayName) => startMember({ identity: new TestIdentity({ displayName }), ...(files ? { fileTimings: files } : {}) }))
  )
  members.push(...people)
  const [host, ...rest] = people as [TestMember, ...TestMember[]]
  const room = await host.invoke('room.create', { title: 'Files' })
  for (const m of rest) await m.invoke('room.join', { invite: room.invite })
  const others = people.length - 1
  for (const m of people) await m.waitFor('room.updated', (v) => v.members.filter((x) => x.presence === 'present').length === others)
  return { people, roomId: room.roomId, invite: room.invite }
}

const downloads = (m: TestMember) => path.join(m.dir, 'Downloads')
/** Everything in the downloads folder, hidden temp files included. */
const filesIn = (m: TestMember) => (existsSync(downloads(m)) ? readdirSync(downloads(m)).sort() : [])
const transfers = (m: TestMember) => m.events.filter((e) => e.event === 'file.transfer').map((e) => e.payload as FileTransfer)
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A stream of our file protocol from one member's node to another, spoken by hand. */
async function rawChannel(from: TestMember, to: TestMember): Promise<FileChannel> {
  const peer = peerIdFromString(to.peerId())
  const stream = await from.core.rooms!.libp2p!.dialProtocol(peer, FILE_PROTOCOL)
  const channel = new FileChannel(stream, peer)
  cleanups.push(async () => channel.abort(new Error('test over')))
  return channel
}

async function offerByHand(channel: FileChannel, roomId: string, size: number, name = 'hand.bin'): Promise<void> {
  await channel.send({ t: 'offer', v: 1, room: roomId, id: crypto.randomUUID(), name, size }, 5_000)
}

async function acceptOffer(m: TestMember, match: (t: FileTransfer) => boolean = () => true): Promise<FileTransfer> {
  const offer = await m.waitFor('file.transfer', (t) => t.direction === 'in' && t.state === 'offered' && match(t))
  await m.invoke('file.accept', { transferId: offer.transferId })
  return offer
}

/** What a page does: once a receiver accepted, send the file in pieces of at most 1 MiB. */
async function pump(sender: TestMember, t: FileTransfer, bytes: Uint8Array, upTo = bytes.byteLength): Promise<void> {
  await sender.waitFor('file.transfer', (v) => v.transferId === t.transferId && v.state === 'active')
  await sendPieces(sender, t, bytes, 0, upTo)
}

/** The pieces from `from` up to `upTo` of a transfer already under way. */
async function sendPieces(sender: TestMember, t: FileTransfer, bytes: Uint8Array, from: number, upTo: number): Promise<void> {
  for (let offset = from; offset < upTo; offset += 1024 * 1024) {
    const piece = bytes.subarray(offset, Math.min(offset + 1024 * 1024, upTo))
    await sender.invoke('file.chunk', { transferId: t.transferId, offset, bytes: piece })
  }
}

describe('files in chat (/dym/file/1.0.0)', () => {
  it(
    'a sender faster than the receiver is held back, not cut off: 40 MB as fast as the core takes the pieces',
    { timeout: 60_000 },
    async () => {
      const { people, roomId } = await meeting(['Ann', 'Ben'])
      const [ann, ben] = people as [TestMember, TestMember]
      const bytes = new Uint8Array(randomBytes(40 * 1024 * 1024))
      const { transfers: out } = await ann.invoke('file.offer', { roomId, name: 'big.bin', size: bytes.byteLength })
      await Promise.all([acceptOffer(ben), pump(ann, out[0]!, bytes)])
      const done = await ben.waitFor('file.transfer', (t) => t.direction === 'in' && t.state !== 'active' && t.state !== 'offered', 30_000)
      expect(done).toMatchObject({ state: 'done', sha256: sha256(bytes) })
      expect(sha256(readFileSync(path.join(downloads(ben), 'big.bin')))).toBe(sha256(bytes))
    }
  )

  it(
    'a file goes to both other members, who accept it: same bytes, SHA-256 checked, progress shown; a later joiner gets nothing',
    { timeout: 60_000 },
    async () => {
      const { people, roomId, invite } = await meeting(['Ann', 'Ben', 'Cat'])
      const [ann, ben, cat] = people as [TestMember, TestMember, TestMember]
      const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 123))
      const { transfers: out } = await ann.invoke('file.offer', {
        roomId,
        name: 'report.pdf',
        size: bytes.byteLength,
        mime: 'application/pdf'
      })
      expect(out.map((t) => t.peer.peerId).sort()).toEqual([ben.peerId(), cat.peerId()].sort())
      // Nothing is written before the receiver says yes.
      await ben.waitFor('file.transfer', (t) => t.state === 'offered')
      expect(filesIn(ben)).toEqual([])
      // Two pieces first: each receiver shows the progress of a transfer under way (not only its end).
      const half = 2 * 1024 * 1024
      await Promise.all([acceptOffer(ben), acceptOffer(cat), ...out.map((t) => pump(ann, t, bytes, half))])
      for (const m of [ben, cat])
        await m.waitFor('file.transfer', (t) => t.direction === 'in' && t.state === 'active' && t.bytes > 0 && t.bytes < t.size)
      await Promise.all(out.map((t) => sendPieces(ann, t, bytes, half, bytes.byteLength)))
      for (const m of [ben, cat]) {
        const done = await m.waitFor('file.transfer', (t) => t.direction === 'in' && t.state === 'done')
        expect(done).toMatchObject({ name: 'report.pdf', savedAs: 'report.pdf', size: bytes.byteLength, sha256: sha256(bytes) })
        expect(done.savedIn).toBeUndefined() // the default folder: shown as "Downloads"
        expect(filesIn(m)).toEqual(['report.pdf'])
        expect(sha256(readFileSync(path.join(downloads(m), 'report.pdf')))).toBe(sha256(bytes))
      }
      for (const t of out) await ann.waitFor('file.transfer', (v) => v.transferId === t.transferId && v.state === 'done')
      // The sender keeps nothing: its own downloads folder is empty.
      expect(filesIn(ann)).toEqual([])
      // Someone who joins now is offered nothing.
      const dan = await startMember({ identity: new TestIdentity({ displayName: 'Dan' }) })
      members.push(dan)
      await dan.invoke('room.join', { invite })
      await dan.waitFor('room.updated', (v) => v.members.filter((x) => x.presence === 'present').length === 3)
      expect(transfers(dan)).toEqual([])
    }
  )

  it('a file saved into a folder chosen in Settings says where it went', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const chosen = path.join(ben.dir, 'Chosen files')
    await ben.invoke('settings.update', { downloadsDir: chosen })
    const bytes = new Uint8Array(randomBytes(4096))
    const { transfers: out } = await ann.invoke('file.offer', { roomId, name: 'notes.txt', size: bytes.byteLength })
    await acceptOffer(ben)
    await pump(ann, out[0]!, bytes)
    const done = await ben.waitFor('file.transfer', (t) => t.direction === 'in' && t.state === 'done')
    expect(done).toMatchObject({ savedAs: 'notes.txt', savedIn: chosen })
    expect(readdirSync(chosen)).toEqual(['notes.txt'])
    expect(filesIn(ben)).toEqual([])
  })

  it('a stranger (not in the meeting) is refused, and the member is not even asked', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const ben = people[1]!
    const stranger = await bareNode()
    cleanups.push(async () => stranger.stop())
    const stream = await stranger.dialProtocol(ben.core.rooms!.libp2p!.getMultiaddrs()[0]!, FILE_PROTOCOL)
    const channel = new FileChannel(stream, peerIdFromString(ben.peerId()))
    await offerByHand(channel, roomId, 1000)
    expect(await channel.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'not-member' })
    expect(transfers(ben)).toEqual([])
  })

  it('a member who sends more than it offered is stopped, and the partial file removed', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const channel = await rawChannel(ann, ben)
    await offerByHand(channel, roomId, 100_000)
    await acceptOffer(ben)
    expect(await channel.readControl(5_000)).toEqual({ t: 'accept' })
    for (let i = 0; i < 3; i++) await channel.sendData(new Uint8Array(60_000), 5_000)
    expect(await channel.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'size' })
    const failed = await ben.waitFor('file.transfer', (t) => t.state === 'failed')
    expect(failed.reason).toMatch(/more than the size it offered/)
    expect(filesIn(ben)).toEqual([])
  })

  it('a file whose SHA-256 does not match is detected and removed', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const channel = await rawChannel(ann, ben)
    const bytes = new Uint8Array(randomBytes(200_000))
    await offerByHand(channel, roomId, bytes.byteLength, 'evil.txt')
    await acceptOffer(ben)
    expect(await channel.readControl(5_000)).toEqual({ t: 'accept' })
    for (let at = 0; at < bytes.byteLength; at += 65_536) await channel.sendData(bytes.subarray(at, at + 65_536), 5_000)
    await channel.send({ t: 'end', sha256: sha256(new Uint8Array([1, 2, 3])) }, 5_000)
    expect(await channel.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'hash' })
    const failed = await ben.waitFor('file.transfer', (t) => t.state === 'failed')
    expect(failed.reason).toMatch(/SHA-256/)
    expect(filesIn(ben)).toEqual([])
  })

  it('bytes sent before the receiver accepted are refused, and nothing is written', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const channel = await rawChannel(ann, ben)
    await offerByHand(channel, roomId, 1000)
    await ben.waitFor('file.transfer', (t) => t.state === 'offered')
    await channel.sendData(new Uint8Array(1000), 5_000)
    expect(await channel.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'protocol' })
    await ben.waitFor('file.transfer', (t) => t.state === 'failed')
    expect(filesIn(ben)).toEqual([])
  })

  it('cancel on either side mid-way tells the other side and leaves no partial file', { timeout: 60_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const bytes = new Uint8Array(randomBytes(4 * 1024 * 1024))

    // The receiver cancels after the first half arrived.
    let { transfers: out } = await ann.invoke('file.offer', { roomId, name: 'big.bin', size: bytes.byteLength })
    const incoming = await acceptOffer(ben)
    await pump(ann, out[0]!, bytes, 2 * 1024 * 1024)
    await ben.waitFor('file.transfer', (t) => t.transferId === incoming.transferId && t.bytes === 2 * 1024 * 1024)
    expect(filesIn(ben)).toHaveLength(1) // the hidden temp file
    await ben.invoke('file.cancel', { transferId: incoming.transferId })
    await ann.waitFor('file.transfer', (t) => t.transferId === out[0]!.transferId && t.state === 'cancelled')
    expect(filesIn(ben)).toEqual([])
    await expect(
      ann.invoke('file.chunk', { transferId: out[0]!.transferId, offset: 2 * 1024 * 1024, bytes: bytes.subarray(0, 10) })
    ).rejects.toThrow(/cancelled/)

    // The sender cancels after the first half went out.
    ;({ transfers: out } = await ann.invoke('file.offer', { roomId, name: 'big.bin', size: bytes.byteLength }))
    const second = await acceptOffer(ben, (t) => t.transferId !== incoming.transferId)
    await pump(ann, out[0]!, bytes, 2 * 1024 * 1024)
    await ben.waitFor('file.transfer', (t) => t.transferId === second.transferId && t.bytes === 2 * 1024 * 1024)
    await ann.invoke('file.cancel', { transferId: out[0]!.transferId })
    const cancelled = await ben.waitFor('file.transfer', (t) => t.transferId === second.transferId && t.state === 'cancelled')
    expect(cancelled.reason).toMatch(/Ann cancelled/)
    expect(filesIn(ben)).toEqual([])
  })

  it('a peer may have two files on the way at once and offer ten a minute; beyond that it is refused', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const open: FileChannel[] = []
    for (let i = 0; i < 2; i++) {
      const c = await rawChannel(ann, ben)
      await offerByHand(c, roomId, 1000)
      open.push(c)
    }
    await ben.waitFor('file.transfer', () => transfers(ben).filter((t) => t.state === 'offered').length === 2)
    const third = await rawChannel(ann, ben)
    await offerByHand(third, roomId, 1000)
    expect(await third.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'busy' })
    // The two withdrawn: their slots come back, but the minute's offers run out.
    for (const c of open) await c.refuse('cancelled', 'never mind')
    await ben.waitFor('file.transfer', () => transfers(ben).filter((t) => t.state === 'cancelled').length === 2)
    const answers: string[] = []
    for (let i = 0; i < 9; i++) {
      const c = await rawChannel(ann, ben)
      await offerByHand(c, roomId, 1000)
      const answer = await Promise.race([
        c.readControl(1_500).then((f) => (f.t === 'refuse' ? f.code : f.t)),
        ben.waitFor('file.transfer', (t) => t.state === 'offered', 1_500, ben.events.length).then(() => 'offered')
      ])
      answers.push(answer)
      await c.refuse('cancelled', 'never mind')
    }
    // 3 offers counted already (2 + the busy one): 7 more are let through, then the limit.
    expect(answers).toEqual([...Array(7).fill('offered'), 'rate-limited', 'rate-limited'])
  })

  it('a transfer on which nothing moves any more ends, and the partial file is removed', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'], { stallMs: 1_500 })
    const [ann, ben] = people as [TestMember, TestMember]
    const channel = await rawChannel(ann, ben)
    await offerByHand(channel, roomId, 1_000_000)
    await acceptOffer(ben)
    expect(await channel.readControl(5_000)).toEqual({ t: 'accept' })
    await channel.sendData(new Uint8Array(50_000), 5_000)
    await ben.waitFor('file.transfer', (t) => t.bytes === 50_000)
    expect(filesIn(ben)).toHaveLength(1)
    // ...and then nothing.
    expect(await channel.readControl(10_000)).toMatchObject({ t: 'refuse', code: 'timeout' })
    const failed = await ben.waitFor('file.transfer', (t) => t.state === 'failed')
    expect(failed.reason).toMatch(/stalled/)
    expect(filesIn(ben)).toEqual([])
  })

  it('an offer over 2 GB is refused before anyone is asked', { timeout: 30_000 }, async () => {
    const { people, roomId } = await meeting(['Ann', 'Ben'])
    const [ann, ben] = people as [TestMember, TestMember]
    const channel = await rawChannel(ann, ben)
    await offerByHand(channel, roomId, 2 * 1024 * 1024 * 1024 + 1)
    expect(await channel.readControl(5_000)).toMatchObject({ t: 'refuse', code: 'too-large' })
    expect(transfers(ben)).toEqual([])
  })
})
