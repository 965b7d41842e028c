import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { BufferTarget, EncodedAudioPacketSource, EncodedPacket, MkvOutputFormat, Output } from 'mediabunny'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { joinOpusPackets, OpusPacketJoiner, opusPacketUs } from '../../../src/main/core/recorder/tracks/opus-packets'
import { TrackFile } from '../../../src/main/core/recorder/tracks/track-file'
import { fixtureFrames, type FixtureFrames } from '../../support/encoded-frames'
import { streamFacts, webmFixture } from '../../support/media'

const run = promisify(execFile)
/** CELT, fullband, 20 ms frames, mono, one frame: what a call sends. */
const TOC = 0xf8
const frame = (size: number, fill = 1) => Uint8Array.from([TOC, ...new Array<number>(size).fill(fill)])

describe('Opus packets joined for a track file', () => {
  it('joins single frames in a row into one packet of up to 120 ms, with each size when they differ', () => {
    const joiner = new OpusPacketJoiner()
    const sizes = [40, 300, 40, 252, 1275, 7, 40]
    const closed = sizes.flatMap((size, i) => joiner.add(1_000_000 + i * 20_000, frame(size, i + 1)))
    // The 7th frame would make 140 ms: the first six are one packet, the 7th starts the next.
    expect(closed).toHaveLength(1)
    const [packet] = closed
    expect(packet!.timeUs).toBe(1_000_000)
    expect(packet!.durationUs).toBe(120_000)
    expect(opusPacketUs(packet!.data)).toBe(120_000)
    const data = packet!.data
    expect(data[0]).toBe(TOC | 3)
    expect(data[1]).toBe(0x80 | 6) // VBR, six frames
    // 40; 300 = 252 + 0 then 12 (4 * 12 + 252); 40; 252 = 252, 0; 1275 = 255, 255; the last (7) implicit
    expect([...data.subarray(2, 10)]).toEqual([40, 252, 12, 40, 252, 0, 255, 255])
    expect(data.byteLength).toBe(10 + 40 + 300 + 40 + 252 + 1275 + 7)
    expect(data[10]).toBe(1) // frame 1's bytes follow the lengths
    expect(data[10 + 40]).toBe(2)
    const last = joiner.take()
    expect(last).toEqual({ timeUs: 1_120_000, durationUs: 20_000, data: frame(40, 7) }) // alone: as it came
    expect(joiner.take()).toBeNull()
  })

  it('writes only the count when the frames are the same size', () => {
    const joined = joinOpusPackets([frame(80, 1), frame(80, 2), frame(80, 3)])
    expect([...joined.subarray(0, 2)]).toEqual([TOC | 3, 3])
    expect(joined.byteLength).toBe(2 + 3 * 80)
    expect(opusPacketUs(joined)).toBe(60_000)
  })

  it('starts a new packet at a gap, a change of configuration, a packet of several frames or an empty frame', () => {
    const joiner = new OpusPacketJoiner()
    expect(joiner.add(0, frame(50))).toEqual([])
    expect(joiner.add(20_000, frame(50))).toEqual([])
    // a lost packet: 40 ms after the last one ended
    const afterGap = joiner.add(80_000, frame(50))
    expect(afterGap.map((p) => [p.timeUs, p.durationUs])).toEqual([[0, 40_000]])
    // stereo from now on: a new TOC byte
    const stereo = Uint8Array.from([TOC | 4, 9, 9])
    expect(joiner.add(100_000, stereo).map((p) => [p.timeUs, p.durationUs])).toEqual([[80_000, 20_000]])
    // two frames in one packet (code 1): goes on as it came, after the one being built
    const two = Uint8Array.from([TOC | 1, 5, 5, 5, 5])
    expect(joiner.add(120_000, two)).toEqual([
      { timeUs: 100_000, durationUs: 20_000, data: stereo },
      { timeUs: 120_000, durationUs: 40_000, data: two }
    ])
    // an empty frame (a TOC byte alone) is not joined either
    const empty = Uint8Array.from([TOC])
    expect(joiner.add(160_000, empty)).toEqual([{ timeUs: 160_000, durationUs: 20_000, data: empty }])
    expect(joiner.take()).toBeNull()
  })
})

describe('an audio track written with joined packets (real Opus, real ffmpeg)', { timeout: 60_000 }, () => {
  let frames: FixtureFrames
  let dir: string

  beforeAll(async () => {
    frames = await fixtureFrames((await webmFixture({ seconds: 6 })).file)
    dir = mkdtempSync(path.join(os.tmpdir(), 'dym-opus-'))
  }, 120_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** The same packets, one per frame as they came, written by the muxer alone. */
  async function writeAsTheyCame(file: string): Promise<void> {
    const target = new BufferTarget()
    const output = new Output({ format: new MkvOutputFormat(), target })
    const source = new EncodedAudioPacketSource('opus')
    output.addAudioTrack(source)
    await output.start()
    for (const [i, f] of frames.audio.entries())
      await source.add(
        new EncodedPacket(f.data, 'key', f.timeUs / 1e6, 0.02),
        i === 0 ? { decoderConfig: { codec: 'opus', numberOfChannels: 2, sampleRate: 48_000 } } : undefined
      )
    await output.finalize()
    writeFileSync(file, new Uint8Array(target.buffer!))
  }

  const pcm = async (file: string) =>
    (await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '2', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }))
      .stdout

  it('decodes to the same sound, sample for sample, from a sixth of the packets', async () => {
    const joinedFile = path.join(dir, 'joined.mkv')
    const track = new TrackFile(joinedFile, 'opus')
    // In batches of half a second, as the recording flushes them.
    for (const [i, f] of frames.audio.entries()) {
      expect(await track.add({ track: 1, ...f })).toBe(true)
      if (i % 25 === 24) await track.flush()
    }
    await track.close()
    const cameFile = path.join(dir, 'as-they-came.mkv')
    await writeAsTheyCame(cameFile)

    const [joined] = await streamFacts(joinedFile)
    const [came] = await streamFacts(cameFile)
    expect(track.frames).toBe(frames.audio.length)
    expect(came!.packets).toBe(frames.audio.length)
    expect(joined!.packets).toBeLessThanOrEqual(Math.ceil(frames.audio.length / 5))
    expect(Math.abs(joined!.first - came!.first)).toBeLessThan(0.001)
    const [joinedPcm, camePcm] = await Promise.all([pcm(joinedFile), pcm(cameFile)])
    expect(camePcm.byteLength).toBeGreaterThan(48_000 * 2 * 2 * 5) // more than 5 s of sound
    expect(joinedPcm.equals(camePcm)).toBe(true)
  })
})
