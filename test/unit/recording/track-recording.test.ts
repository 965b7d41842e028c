import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { packFrames } from '../../../src/shared/recording-frames'
import { batchesOf, fixtureFrames, type FixtureFrames } from '../../support/encoded-frames'
import { meanVolumeDb, playableSeconds, streamFacts, webmFixture, type StreamFacts } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'

let frames: FixtureFrames
let rec: RecorderUnderTest | null = null

beforeAll(async () => {
  frames = await fixtureFrames((await webmFixture({ seconds: 6 })).file)
}, 120_000)

afterEach(async () => {
  await rec?.close()
  rec = null
})

async function startTracks(r: RecorderUnderTest, title = 'Per person') {
  return r.call('recording.start', {
    title,
    path: 'tracks',
    participants: [
      { id: 'a', name: 'Alice' },
      { id: 'b', name: 'Bob' }
    ]
  })
}

describe('recording per person from encoded frames (real files, real ffmpeg/ffprobe)', { timeout: 60_000 }, () => {
  it('writes a video and an audio track per person, named after them; a late joiner starts late; the first video is the default', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await startTracks(rec)
    expect(state).toMatchObject({ path: 'tracks', phase: 'recording' })
    const id = state.recordingId
    const open = (personId: string, personName: string, kind: 'video' | 'audio') =>
      rec!.call('recording.track', {
        recordingId: id,
        personId,
        personName,
        role: 'camera',
        kind,
        codec: kind === 'video' ? 'vp8' : 'opus'
      })
    const av = (await open('a', 'Alice', 'video')).track
    const aa = (await open('a', 'Alice', 'audio')).track
    const bv = (await open('b', 'Bob', 'video')).track
    const ba = (await open('b', 'Bob', 'audio')).track
    const batches = batchesOf([
      { track: av, frames: frames.video },
      { track: aa, frames: frames.audio },
      // Bob joins 3 s in and stays 3 s
      { track: bv, frames: frames.video.slice(0, 90), offsetUs: 3_000_000 },
      { track: ba, frames: frames.audio.slice(0, 150), offsetUs: 3_000_000 }
    ])
    for (const [seq, bytes] of batches.entries()) {
      const accepted = await rec.call('recording.frames', { recordingId: id, seq, bytes })
      expect(accepted.dropped).toBe(0)
    }
    const entry = await rec.call('recording.stop', { recordingId: id })
    const file = path.join(rec.folder, state.name)

    const streams = await streamFacts(file)
    expect(streams.map((s) => [s.codec_name, s.title, s.isDefault])).toEqual([
      ['vp8', 'Alice', true],
      ['opus', 'Alice', true],
      ['vp8', 'Bob', false],
      ['opus', 'Bob', false]
    ])
    const [aliceV, aliceA, bobV, bobA] = streams as [StreamFacts, StreamFacts, StreamFacts, StreamFacts]
    expect(aliceV.packets).toBe(frames.video.length) // every frame, none re-encoded away
    expect(aliceV.first).toBeLessThan(0.1)
    expect(bobV.first).toBeCloseTo(3, 1)
    expect(bobA.first).toBeCloseTo(3, 1)
    expect(Math.abs(aliceV.last - aliceA.last)).toBeLessThan(0.3)
    expect(Math.abs(bobV.last - bobA.last)).toBeLessThan(0.3)
    expect(await playableSeconds(file)).toBeGreaterThan(5.5)
    expect(await meanVolumeDb(file)).toBeGreaterThan(-30)

    expect(entry).toMatchObject({
      name: state.name,
      path: 'tracks',
      participants: ['Alice', 'Bob'],
      status: 'ready',
      tracks: [
        { kind: 'video', title: 'Alice' },
        { kind: 'audio', title: 'Alice' },
        { kind: 'video', title: 'Bob' },
        { kind: 'audio', title: 'Bob' }
      ]
    })
    // The work folder of track files is gone once they are in the recording.
    expect(readdirSync(rec.folder)).toEqual([state.name])
  })

  it('refuses a batch that is not frames, or names a track never opened, and writes none of it; frames that are not VP8/Opus are dropped', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await startTracks(rec)
    const id = state.recordingId
    const video = (
      await rec.call('recording.track', {
        recordingId: id,
        personId: 'a',
        personName: 'Alice',
        role: 'camera',
        kind: 'video',
        codec: 'vp8'
      })
    ).track
    const good = batchesOf([{ track: video, frames: frames.video }], 1000)
    await rec.call('recording.frames', { recordingId: id, seq: 0, bytes: good[0]! })

    const garbage = new Uint8Array(5000).fill(0xab)
    await expect(rec.call('recording.frames', { recordingId: id, seq: 1, bytes: garbage })).rejects.toMatchObject({ code: 'bad-request' })
    const cut = good[1]!.subarray(0, good[1]!.byteLength - 10) // a batch whose last frame runs past its end
    await expect(rec.call('recording.frames', { recordingId: id, seq: 1, bytes: cut })).rejects.toMatchObject({ code: 'bad-request' })
    const stranger = packFrames([{ track: 42, key: true, timeUs: 2e6, data: frames.video[0]!.data }])
    await expect(rec.call('recording.frames', { recordingId: id, seq: 1, bytes: stranger })).rejects.toThrow(/never opened/)
    // A well-formed batch whose frames are not VP8 (and one out of order): dropped, the rest written.
    const bad = packFrames([
      { track: video, key: true, timeUs: 1.5e6, data: new Uint8Array(300).fill(0xff) },
      { track: video, key: false, timeUs: 0.5e6, data: frames.video[40]!.data }
    ])
    expect((await rec.call('recording.frames', { recordingId: id, seq: 1, bytes: bad })).dropped).toBe(2)
    await rec.call('recording.frames', { recordingId: id, seq: 2, bytes: good[1]! })
    await rec.call('recording.stop', { recordingId: id })

    const streams = await streamFacts(path.join(rec.folder, state.name))
    expect(streams).toHaveLength(1)
    expect(streams[0]!.packets).toBe(frames.video.filter((f) => f.timeUs < 2e6).length)
    expect(await playableSeconds(path.join(rec.folder, state.name))).toBeGreaterThan(1.5)
  })

  it('a recording that never got a frame leaves no file (not an empty one)', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await startTracks(rec)
    await expect(rec.call('recording.stop', { recordingId: state.recordingId })).rejects.toThrow(/Nothing was recorded/)
    expect(readdirSync(rec.folder)).toEqual([])
  })

  it('after a crash the next start merges every track written so far and lists the recording as recovered', async () => {
    const first = new RecorderUnderTest()
    await first.start()
    const state = await startTracks(first, 'Crashed')
    const id = state.recordingId
    const tracks = [] as number[]
    for (const kind of ['video', 'audio'] as const)
      tracks.push(
        (
          await first.call('recording.track', {
            recordingId: id,
            personId: 'a',
            personName: 'Alice',
            role: 'camera',
            kind,
            codec: kind === 'video' ? 'vp8' : 'opus'
          })
        ).track
      )
    const batches = batchesOf([
      { track: tracks[0]!, frames: frames.video.filter((f) => f.timeUs < 4e6) },
      { track: tracks[1]!, frames: frames.audio.filter((f) => f.timeUs < 4e6) }
    ])
    for (const [seq, bytes] of batches.entries()) await first.call('recording.frames', { recordingId: id, seq, bytes })
    // The process dies here: no stop, no finalise; the track files are as the frames left them.
    expect(readdirSync(first.folder).sort()).toEqual([`.${state.name.slice(0, -4)}.tracks`, state.name])

    rec = new RecorderUnderTest({ dataDir: first.dataDir, folder: first.folder })
    await rec.start()
    const { recordings } = await rec.call('recording.list', {})
    expect(recordings).toHaveLength(1)
    expect(recordings[0]).toMatchObject({ name: state.name, status: 'recovered', path: 'tracks', title: 'Crashed' })
    expect(recordings[0]!.durationSec).toBeGreaterThan(3.5)
    expect(await playableSeconds(path.join(rec.folder, state.name))).toBeGreaterThan(3.5)
    expect(existsSync(path.join(rec.folder, `.${state.name.slice(0, -4)}.tracks`))).toBe(false)
  })
})

describe('opening tracks', () => {
  it('many tracks opened at once all get a number and all reach the marker (the recovery finds every one)', async () => {
    rec = await new RecorderUnderTest().start()
    const state = await startTracks(rec)
    const opened = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((p) =>
        rec!.call('recording.track', {
          recordingId: state.recordingId,
          personId: p,
          personName: p,
          role: 'camera',
          kind: 'audio',
          codec: 'opus'
        })
      )
    )
    expect(opened.map((o) => o.track).sort()).toEqual([1, 2, 3, 4, 5, 6])
    const dir = path.join(rec.dataDir, 'recorder', 'active')
    const marker = JSON.parse(readFileSync(path.join(dir, readdirSync(dir)[0]!), 'utf8')) as { tracks: unknown[] }
    expect(marker.tracks).toHaveLength(6)
  })
})
