import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PLAY_READ_MAX_BYTES } from '../../../src/shared/contract/recording'
import { streamFacts } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'
import { tracksRecording } from '../../support/tracks-fixture'

let rec: RecorderUnderTest
let recording: { file: string; name: string }

/** Everything the player would read of an opened recording, piece by piece, into a file. */
async function readWhole(playId: string, size: number, into: string): Promise<number> {
  const parts: Uint8Array[] = []
  let pieces = 0
  for (let offset = 0; ; pieces++) {
    const { bytes } = await rec.call('recording.play-read', { playId, offset, length: PLAY_READ_MAX_BYTES })
    if (bytes.byteLength === 0) break
    parts.push(bytes)
    offset += bytes.byteLength
  }
  const whole = Buffer.concat(parts)
  expect(whole.length).toBe(size)
  writeFileSync(into, whole)
  return pieces
}

/** Spread (standard deviation) of a JPEG's brightness: near 0 for a black or one-colour picture. */
function jpegSpread(jpeg: Uint8Array): number {
  const gray = execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-vf', 'scale=32:18,format=gray', '-f', 'rawvideo', '-'],
    {
      input: jpeg
    }
  )
  const mean = gray.reduce((a, b) => a + b, 0) / gray.length
  return Math.sqrt(gray.reduce((a, b) => a + (b - mean) ** 2, 0) / gray.length)
}

describe('the player of the Recordings screen (real ffmpeg)', () => {
  /** Alice all along; Bob joins 3 s in. */
  beforeAll(async () => {
    rec = await new RecorderUnderTest().start()
    recording = await tracksRecording(
      rec,
      'Played',
      [
        { id: 'peer-a', name: 'Alice' },
        { id: 'peer-b', name: 'Bob', fromSec: 3 }
      ],
      6
    )
  }, 120_000)

  afterAll(async () => rec?.close())

  it('plays one person: their own picture and voice by copy, starting when they arrived, read in bounded pieces', async () => {
    const opened = await rec.call('recording.play-open', { name: recording.name, person: 'peer-b' })
    expect(opened.mimeType).toBe('video/webm')
    const file = path.join(rec.root, 'bob.webm')
    await readWhole(opened.playId, opened.sizeBytes, file)
    const bob = await streamFacts(file)
    const source = (await streamFacts(recording.file)).filter((s) => s.title === 'Bob')
    expect(bob.map((s) => s.codec_name)).toEqual(['vp8', 'opus'])
    expect(bob[0]!.packets).toBe(source.find((s) => s.codec_type === 'video')!.packets)
    expect(bob[0]!.first).toBeCloseTo(3, 0)
    // A second open of the same person is the cached file, under a new id.
    const again = await rec.call('recording.play-open', { name: recording.name, person: 'peer-b' })
    expect(again).toMatchObject({ sizeBytes: opened.sizeBytes })
    expect(again.playId).not.toBe(opened.playId)
    const past = await rec.call('recording.play-read', { playId: opened.playId, offset: opened.sizeBytes + 10, length: 1000 })
    expect(past.bytes.byteLength).toBe(0)
  }, 60_000)

  it('refuses what it cannot play: an unknown person, an unknown player id, everyone together before an MP4 export', async () => {
    await expect(rec.call('recording.play-open', { name: recording.name, person: 'peer-zz' })).rejects.toMatchObject({ code: 'not-found' })
    await expect(
      rec.call('recording.play-read', { playId: '00000000-0000-0000-0000-000000000000', offset: 0, length: 10 })
    ).rejects.toMatchObject({ code: 'not-found' })
    await expect(rec.call('recording.play-open', { name: recording.name, person: null })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/Export MP4/)
    })
    await expect(rec.call('recording.play-open', { name: '../x.mkv', person: null })).rejects.toBeTruthy()
  })

  it('a thumbnail with something to see, from a recording whose first seconds are black', async () => {
    const name = '2026-12-05_10-00_Dark-start.mkv'
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=black:s=320x180:r=15:d=4', '-f', 'lavfi'],
      ...['-i', 'testsrc2=s=320x180:r=15:d=3', '-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]'],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-y', path.join(rec.folder, name)]
    ])
    const thumb = await rec.call('recording.thumbnail', { name })
    expect(jpegSpread(thumb!.jpeg)).toBeGreaterThan(10)
    // The tracks recording's too (its first camera).
    const tracksThumb = await rec.call('recording.thumbnail', { name: recording.name })
    expect(jpegSpread(tracksThumb!.jpeg)).toBeGreaterThan(10)
  }, 60_000)
})
