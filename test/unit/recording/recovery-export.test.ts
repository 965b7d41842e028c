import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/main/core/log'
import { findFfmpeg } from '../../../src/main/core/recorder/find-ffmpeg'
import { LiveRecording } from '../../../src/main/core/recorder/live-recording'
import { MarkerStore } from '../../../src/main/core/recorder/markers'
import { ffprobe, playableSeconds, sliceEvenly, webmFixture } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'

let rec: RecorderUnderTest | null = null
afterEach(async () => {
  await rec?.close()
  rec = null
})

describe('recovery of interrupted recordings', () => {
  it('finishes a file whose core and ffmpeg were killed: playable before, seekable with duration and participants after, listed as recovered', async () => {
    const fixture = await webmFixture({ seconds: 6 })
    rec = new RecorderUnderTest()
    const folder = rec.folder
    // What a running recorder leaves on disk: the file being written and its marker.
    const tools = await findFfmpeg()
    const { mkdirSync } = await import('node:fs')
    mkdirSync(folder, { recursive: true })
    const file = path.join(folder, '2026-01-02_03-04_Interrupted.mkv')
    const startedAt = Date.now()
    const live = new LiveRecording(tools, file, { title: 'Interrupted', startedAt, participants: ['alice.3bot'] }, () => undefined)
    await live.start()
    const markers = new MarkerStore(path.join(rec.dataDir, 'recorder', 'active'), memoryLogger())
    await markers.write({
      version: 1,
      recordingId: '00000000-0000-4000-8000-000000000001',
      file,
      title: 'Interrupted',
      startedAt,
      ffmpegPid: live.pid,
      roster: [
        { id: 'a', name: 'alice.3bot', joinedAtMs: 0, leftAtMs: null },
        { id: 'b', name: 'bob.3bot', joinedAtMs: 2000, leftAtMs: null }
      ]
    })
    const slices = sliceEvenly(fixture.bytes, 6)
    for (let i = 0; i < 5; i++) await live.push(i, slices[i] as Uint8Array)
    // What the kill may cost is only what ffmpeg had not written yet; the file's size says
    // nothing about that. Wait until the file itself plays 4 of the 5 seconds pushed.
    const playableNow = () => playableSeconds(file).catch(() => 0)
    await expect.poll(playableNow, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(4)
    process.kill(live.pid as number, 'SIGKILL')
    await live.stop()

    // After the kill: no trailer (ffmpeg had no chance to write one), and every second written
    // before it still plays.
    const playableBefore = await playableSeconds(file)
    expect(playableBefore).toBeGreaterThanOrEqual(4)

    await rec.start()
    const listed = await rec.call('recording.list', {})
    expect(listed.recordings).toHaveLength(1)
    const entry = listed.recordings[0]
    expect(entry).toMatchObject({
      name: path.basename(file),
      status: 'recovered',
      title: 'Interrupted',
      participants: ['alice.3bot', 'bob.3bot'],
      hasAudio: true
    })
    expect(entry?.durationSec).toBeGreaterThan(playableBefore - 0.5)
    expect(rec.eventsOf('recording.list-changed')).toContainEqual({ reason: 'recovered' })
    expect(await playableSeconds(file)).toBeGreaterThan(playableBefore - 0.5)
  }, 60_000)
})

describe('MP4 export', () => {
  it('exports a 10 s recording to H.264/AAC with progress events, never overwriting an existing MP4', async () => {
    const fixture = await webmFixture({ seconds: 10, width: 1280, height: 720, kbps: 2500 })
    rec = await new RecorderUnderTest().start()
    const state = await rec.call('recording.start', { title: 'Export me' })
    const slices = sliceEvenly(fixture.bytes, 10)
    for (let i = 0; i < slices.length; i++)
      await rec.call('recording.chunk', { recordingId: state.recordingId, seq: i, bytes: slices[i] as Uint8Array })
    await rec.call('recording.stop', { recordingId: state.recordingId })

    const { exportId } = await rec.call('recording.export', { name: state.name })
    const done = await rec.waitForEvent('recording.export-progress', (p) => p.exportId === exportId && p.state !== 'running', 120_000)
    expect(done).toMatchObject({ state: 'done', fraction: 1, name: state.name })
    const mp4 = path.join(rec.folder, done.output ?? '')
    expect(done.output).toBe(state.name.replace('.mkv', '.mp4'))
    const probed = await ffprobe(mp4)
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264'])
    expect(probed.durationSec).toBeGreaterThan(9.5)
    expect(probed.tags.title).toBe('Export me')

    const progress = rec.eventsOf('recording.export-progress').filter((p) => p.exportId === exportId)
    const fractions = progress.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(progress.some((p) => p.state === 'running' && p.fraction > 0 && p.fraction < 1)).toBe(true)

    const second = await rec.call('recording.export', { name: state.name })
    const again = await rec.waitForEvent(
      'recording.export-progress',
      (p) => p.exportId === second.exportId && p.state !== 'running',
      120_000
    )
    expect(again.output).toBe(state.name.replace('.mkv', ' (2).mp4'))
    const listed = await rec.call('recording.list', {})
    expect(listed.recordings[0]?.exports.sort()).toEqual([done.output, again.output].sort())
  }, 180_000)
})
