import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { titleSlug } from '../../../src/main/core/recorder/file-names'
import { playableSeconds, sliceEvenly, webmFixture, type WebmFixture } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'

/**
 * What an attacker (or a broken page) can send the recorder, each found by probing it (issue 17):
 * every one gets a clear answer, nothing outside the folder is read, nothing half-made is left.
 */
let fixture: WebmFixture
let rec: RecorderUnderTest | null = null

beforeAll(async () => {
  fixture = await webmFixture({ seconds: 6 })
}, 120_000)

afterEach(async () => {
  await rec?.close()
  rec = null
})

async function recorded(r: RecorderUnderTest, title: string): Promise<string> {
  const state = await r.call('recording.start', { title, participants: [{ id: 'a', name: 'alice.3bot' }] })
  for (const [seq, bytes] of sliceEvenly(fixture.bytes, 3).entries())
    await r.call('recording.chunk', { recordingId: state.recordingId, seq, bytes })
  await r.call('recording.stop', { recordingId: state.recordingId })
  return state.name
}

describe('the recorder against bad requests', { timeout: 60_000 }, () => {
  it('rename: a long title in a wide script fits the file system; a failure is told without any path', async () => {
    rec = await new RecorderUnderTest().start()
    const name = await recorded(rec, 'Take')
    // 60 emoji are 240 bytes: with the date prefix the name was over 255 bytes (ENAMETOOLONG, answered "internal")
    const renamed = await rec.call('recording.rename', { name, newTitle: '😀'.repeat(60) })
    expect(Buffer.byteLength(renamed.name)).toBeLessThanOrEqual(255)
    expect(readdirSync(rec.folder)).toEqual([renamed.name])
    const gone = rec.call('recording.rename', { name: '2020-01-01_00-00_Gone.mkv', newTitle: 'Other' })
    await expect(gone).rejects.toMatchObject({ code: 'not-found' })
    await expect(gone).rejects.not.toThrow(rec.root)
    expect(readdirSync(rec.folder)).toEqual([renamed.name]) // no reservation left behind
  })

  it('thumbnails, export and rename refuse a symbolic link in the folder (it could point anywhere); the list leaves it out', async () => {
    rec = await new RecorderUnderTest().start()
    const name = await recorded(rec, 'Real')
    const outside = path.join(rec.root, 'outside')
    mkdirSync(outside)
    writeFileSync(path.join(outside, 'secret.mkv'), fixture.bytes)
    symlinkSync(path.join(outside, 'secret.mkv'), path.join(rec.folder, 'link.mkv'))
    await expect(rec.call('recording.thumbnail', { name: 'link.mkv' })).rejects.toMatchObject({ code: 'bad-request' })
    await expect(rec.call('recording.export', { name: 'link.mkv' })).rejects.toMatchObject({ code: 'bad-request' })
    await expect(rec.call('recording.rename', { name: 'link.mkv', newTitle: 'x' })).rejects.toMatchObject({ code: 'bad-request' })
    const { recordings } = await rec.call('recording.list', {})
    expect(recordings.map((r) => r.name)).toEqual([name])
  })

  it('file names drop bidi overrides and zero-width characters (U+202E makes "gpj.exe" read "exe.jpg")', async () => {
    expect(titleSlug('invoice\u202Egpj.exe')).toBe('invoicegpj.exe')
    expect(titleSlug('a\u200Bb\u2066c\u2069\uFEFF')).toBe('abc')
    rec = await new RecorderUnderTest().start()
    const state = await rec.call('recording.start', { title: 'Plan\u202Evokm' })
    expect(state.name).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/)
    await rec.call('recording.chunk', { recordingId: state.recordingId, seq: 0, bytes: fixture.bytes })
    await rec.call('recording.stop', { recordingId: state.recordingId })
  })

  it('a recording that ends before anything arrived leaves no file, not an empty .mkv', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await rec.call('recording.start', { title: 'Nothing' })
    await expect(rec.call('recording.stop', { recordingId: state.recordingId })).rejects.toMatchObject({ code: 'not-found' })
    expect(readdirSync(rec.folder)).toEqual([])
    expect(rec.eventsOf('recording.state').at(-1)?.phase).toBe('failed')
  })

  it('a garbage chunk (longer than the frame it would continue) after a valid one is refused and never reaches the file; the next good chunk still fits', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await rec.call('recording.start', { title: 'Garbage' })
    const slices = sliceEvenly(fixture.bytes, 6)
    await rec.call('recording.chunk', { recordingId: state.recordingId, seq: 0, bytes: slices[0]! })
    // Chromium cuts slices anywhere, so the first slice may end inside a frame: bytes within that
    // frame's size are its data as far as the recorder can tell; these run far past any frame.
    const garbage = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example\r\n\r\n'.repeat(8000))
    await expect(rec.call('recording.chunk', { recordingId: state.recordingId, seq: 1, bytes: garbage })).rejects.toThrow(
      /does not continue the recording's WebM stream/
    )
    const random = new Uint8Array(400_000).map((_, i) => (i * 7919 + 13) % 251)
    await expect(rec.call('recording.chunk', { recordingId: state.recordingId, seq: 1, bytes: random })).rejects.toMatchObject({
      code: 'bad-request'
    })
    for (let seq = 1; seq < slices.length; seq++)
      await rec.call('recording.chunk', { recordingId: state.recordingId, seq, bytes: slices[seq]! })
    const entry = await rec.call('recording.stop', { recordingId: state.recordingId })
    expect(entry.status).toBe('ready')
    expect(await playableSeconds(path.join(rec.folder, state.name))).toBeGreaterThan(5.5)
    expect(existsSync(path.join(rec.folder, state.name))).toBe(true)
  })

  it('a first chunk that is not WebM is refused', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await rec.call('recording.start', { title: 'Not WebM' })
    await expect(
      rec.call('recording.chunk', { recordingId: state.recordingId, seq: 0, bytes: new Uint8Array(100).fill(7) })
    ).rejects.toThrow(/does not start with a WebM header|not an element/)
  })
})
