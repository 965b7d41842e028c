import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { RecorderUnderTest } from '../../support/recorder'
import { ffprobe, meanVolumeDb, playableSeconds, sliceEvenly, webmFixture, type WebmFixture } from '../../support/media'

let fixture: WebmFixture
let rec: RecorderUnderTest | null = null

beforeAll(async () => {
  fixture = await webmFixture({ seconds: 6 })
}, 120_000)

afterEach(async () => {
  await rec?.close()
  rec = null
})

async function freshRecorder(options: ConstructorParameters<typeof RecorderUnderTest>[0] = {}) {
  rec = await new RecorderUnderTest(options).start()
  return rec
}

/** Feeds the fixture in 1-second slices, each after the previous was accepted, as the renderer does. */
async function feed(r: RecorderUnderTest, recordingId: string, slices: Uint8Array[], from = 0) {
  for (let i = 0; i < slices.length; i++) {
    await r.call('recording.chunk', { recordingId, seq: from + i, bytes: slices[i] as Uint8Array })
  }
}

// Real ffmpeg processes on a shared 2-core machine: generous bounds, events awaited.
describe('recorder service with real ffmpeg', { timeout: 60_000 }, () => {
  it('writes the chunks into a playable .mkv named by date and title, with title, start time and participants inside', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', {
      title: 'Weekly sync: team/ops',
      participants: [
        { id: 'a', name: 'alice.3bot' },
        { id: 'b', name: 'Bob, the guest' }
      ]
    })
    expect(state.phase).toBe('recording')
    expect(state.name).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}_Weekly-sync-team-ops\.mkv$/)
    await feed(r, state.recordingId, sliceEvenly(fixture.bytes, 6))
    const entry = await r.call('recording.stop', { recordingId: state.recordingId })

    const file = path.join(r.folder, state.name)
    const probed = await ffprobe(file)
    expect(probed.durationSec).toBeGreaterThan(5.5)
    expect(probed.durationSec).toBeLessThan(6.5)
    expect(probed.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp8'])
    expect(probed.tags.title).toBe('Weekly sync: team/ops')
    expect(probed.tags.dym_recording_path).toBe('composed') // which path recorded it
    expect(probed.tags.participants).toBe('alice.3bot, Bob, the guest')
    expect(Math.abs(Date.parse(probed.tags.date ?? '') - state.startedAt)).toBeLessThan(1000)
    expect(await playableSeconds(file)).toBeGreaterThan(5.5)
    expect(await meanVolumeDb(file)).toBeGreaterThan(-30) // the 440 Hz tone made it through

    expect(entry).toMatchObject({
      name: state.name,
      title: 'Weekly sync: team/ops',
      participants: ['alice.3bot', 'Bob, the guest'],
      status: 'ready',
      width: 640,
      height: 360,
      hasAudio: true
    })
    expect(entry.durationSec).toBeCloseTo(probed.durationSec ?? 0, 1)
    expect(entry.sizeBytes).toBe(statSync(file).size)
    expect(r.eventsOf('recording.state').map((s) => s.phase)).toEqual(expect.arrayContaining(['recording', 'finalising', 'stopped']))

    const listed = await r.call('recording.list', {})
    expect(listed.recordings.map((e) => e.name)).toEqual([state.name])
    const thumb = await r.call('recording.thumbnail', { name: state.name })
    expect(thumb?.jpeg.subarray(0, 3)).toEqual(new Uint8Array([0xff, 0xd8, 0xff])) // a JPEG
  })

  it('puts everyone who joined during the recording into the metadata; a second recording in the same minute gets its own file', async () => {
    const r = await freshRecorder()
    const first = await r.call('recording.start', { title: 'Standup', participants: [{ id: 'a', name: 'alice.3bot' }] })
    const slices = sliceEvenly(fixture.bytes, 6)
    await feed(r, first.recordingId, slices.slice(0, 3))
    await r.call('recording.participants', {
      recordingId: first.recordingId,
      participants: [
        { id: 'a', name: 'alice.3bot' },
        { id: 'c', name: 'carol.3bot' }
      ]
    })
    await r.call('recording.participants', { recordingId: first.recordingId, participants: [{ id: 'c', name: 'carol.3bot' }] })
    await feed(r, first.recordingId, slices.slice(3), 3)
    const entry = await r.call('recording.stop', { recordingId: first.recordingId })
    expect(entry.participants).toEqual(['alice.3bot', 'carol.3bot'])
    expect((await ffprobe(path.join(r.folder, first.name))).tags.participants).toBe('alice.3bot, carol.3bot')
    expect(entry.durationSec).toBeGreaterThan(5.5)

    const second = await r.call('recording.start', { title: 'Standup' })
    expect(second.name).not.toBe(first.name)
    await feed(r, second.recordingId, slices)
    await r.call('recording.stop', { recordingId: second.recordingId })
    // Same minute: "_2"; a minute boundary may pass between the two, then the names differ anyway.
    if (second.name.slice(0, 16) === first.name.slice(0, 16)) expect(second.name).toBe(first.name.replace('.mkv', '_2.mkv'))
    expect((await r.call('recording.list', {})).recordings).toHaveLength(2)
  })

  it('refuses chunks out of order and ignores a repeated one', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', { title: 'Order' })
    const slices = sliceEvenly(fixture.bytes, 6)
    await r.call('recording.chunk', { recordingId: state.recordingId, seq: 0, bytes: slices[0] as Uint8Array })
    await expect(
      r.call('recording.chunk', { recordingId: state.recordingId, seq: 2, bytes: slices[2] as Uint8Array })
    ).rejects.toMatchObject({ code: 'bad-request' })
    const again = await r.call('recording.chunk', { recordingId: state.recordingId, seq: 0, bytes: slices[0] as Uint8Array })
    expect(again.bytesReceived).toBe(slices[0]?.byteLength)
    await feed(r, state.recordingId, slices.slice(1), 1)
    const entry = await r.call('recording.stop', { recordingId: state.recordingId })
    expect(entry.durationSec).toBeGreaterThan(5.5)
  })

  it('holds the sender back while ffmpeg is not reading: memory stays bounded, nothing is lost', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', { title: 'Backpressure' })
    const pid = ffmpegPid(r)
    const slices = sliceEvenly(fixture.bytes, 24) // ~30 KB each
    process.kill(pid, 'SIGSTOP')
    let accepted = 0
    const sending = (async () => {
      for (let i = 0; i < slices.length; i++) {
        await r.call('recording.chunk', { recordingId: state.recordingId, seq: i, bytes: slices[i] as Uint8Array })
        accepted = i + 1
      }
    })()
    // A stopped ffmpeg takes the pipe's 64 KiB and stdin's buffer, then the sender has to wait.
    await expect.poll(() => r.eventsOf('recording.state').length, { timeout: 5000 }).toBeGreaterThan(0)
    const acceptedWhileStopped = await settleCount(() => accepted)
    expect(acceptedWhileStopped).toBeLessThan(slices.length)
    const bytesWhileStopped = slices.slice(0, acceptedWhileStopped).reduce((n, s) => n + s.byteLength, 0)
    expect(bytesWhileStopped).toBeLessThan(512 * 1024)
    process.kill(pid, 'SIGCONT')
    await sending
    const entry = await r.call('recording.stop', { recordingId: state.recordingId })
    expect(entry.durationSec).toBeGreaterThan(5.5)
  })

  it('ffmpeg dying mid-recording: the user is told, and what was written plays and is listed', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', { title: 'Crashy' })
    const slices = sliceEvenly(fixture.bytes, 6)
    await feed(r, state.recordingId, slices.slice(0, 5))
    const file = path.join(r.folder, state.name)
    // Wait until ffmpeg has written clusters, then kill it as a crash would.
    await expect.poll(() => statSync(file).size, { timeout: 10_000 }).toBeGreaterThan(100_000)
    process.kill(ffmpegPid(r), 'SIGKILL')
    const failed = await r.waitForEvent('recording.state', (s) => s.phase === 'failed')
    expect(failed.error).toMatch(/ffmpeg was stopped \(SIGKILL\).*what was recorded until then is saved/)
    await expect(
      r.call('recording.chunk', { recordingId: state.recordingId, seq: 5, bytes: slices[5] as Uint8Array })
    ).rejects.toMatchObject({ code: 'unavailable' })
    expect(await playableSeconds(file)).toBeGreaterThan(2)
    const entry = await r.call('recording.stop', { recordingId: state.recordingId })
    expect(entry.durationSec).toBeGreaterThan(2)
    expect((await r.call('recording.list', {})).recordings.map((e) => e.name)).toEqual([state.name])
  })

  it('a chunk sent the moment ffmpeg dies is answered with why it died, not only that it is gone', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', { title: 'Crashy' })
    const slices = sliceEvenly(fixture.bytes, 6)
    await feed(r, state.recordingId, slices.slice(0, 2))
    // The broken pipe of a write is often seen before ffmpeg's exit; the answer waits for the exit.
    process.kill(ffmpegPid(r), 'SIGKILL')
    let refusal: unknown = null
    for (let seq = 2; seq < slices.length && !refusal; seq++)
      refusal = await r.call('recording.chunk', { recordingId: state.recordingId, seq, bytes: slices[seq] as Uint8Array }).then(
        () => null,
        (err: unknown) => err
      )
    expect(refusal).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/ffmpeg was stopped \(SIGKILL\)/) })
    await r.call('recording.stop', { recordingId: state.recordingId }).catch(() => undefined)
  })

  it('a folder that cannot be written is a clear error before ffmpeg starts', async () => {
    const blocker = mkdtempSync(path.join(os.tmpdir(), 'dym-blocker-'))
    writeFileSync(path.join(blocker, 'a-file'), 'x')
    onTestFinished(() => rmSync(blocker, { recursive: true, force: true }))
    const r = await freshRecorder({ folder: path.join(blocker, 'a-file', 'recordings') })
    await expect(r.call('recording.start', { title: 'Nowhere' })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/Cannot record into .*a-file.*choose another recordings folder/)
    })
    expect(r.eventsOf('recording.state')).toEqual([])
  })

  it('without ffmpeg, starting says what to install', async () => {
    const { FfmpegNotFoundError, installAdvice } = await import('../../../src/main/core/recorder/find-ffmpeg')
    const r = await freshRecorder({ findTools: () => Promise.reject(new FfmpegNotFoundError(installAdvice('linux'))) })
    await expect(r.call('recording.start', { title: 'x' })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('apt-get install ffmpeg')
    })
    expect(await r.call('recording.info', {})).toMatchObject({
      ffmpeg: { available: false, problem: expect.stringContaining('DYM_FFMPEG') }
    })
    expect(readdirSync(r.root)).not.toContain('recordings')
  })

  it('renames (keeping the date), refuses to delete without confirmation, deletes with it, and says it cannot open files headless', async () => {
    const r = await freshRecorder()
    const state = await r.call('recording.start', { title: 'Old name' })
    await feed(r, state.recordingId, sliceEvenly(fixture.bytes, 6))
    await r.call('recording.stop', { recordingId: state.recordingId })
    const renamed = await r.call('recording.rename', { name: state.name, newTitle: 'Budget review' })
    expect(renamed.name).toBe(state.name.replace('Old-name', 'Budget-review'))
    expect(existsSync(path.join(r.folder, state.name))).toBe(false)
    expect(renamed.durationSec).toBeGreaterThan(5.5)

    const opened = await r.call('recording.open', { name: renamed.name })
    expect(opened).toMatchObject({ opened: false, path: path.join(r.folder, renamed.name), message: 'no desktop in tests' })
    await expect(r.call('recording.delete', { name: renamed.name, confirm: false as true })).rejects.toMatchObject({ code: 'bad-request' })
    await expect(r.call('recording.rename', { name: '../escape.mkv', newTitle: 'x' })).rejects.toMatchObject({ code: 'bad-request' })
    expect(await r.call('recording.delete', { name: renamed.name, confirm: true })).toEqual({ trashed: false })
    expect((await r.call('recording.list', {})).recordings).toEqual([])
  })
})

/** The ffmpeg of the running recording, from its marker (as the recovery would find it). */
function ffmpegPid(r: RecorderUnderTest): number {
  const dir = path.join(r.dataDir, 'recorder', 'active')
  const marker = readdirSync(dir).find((n) => n.endsWith('.json'))
  if (!marker) throw new Error('no active recording marker')
  const { ffmpegPid: pid } = JSON.parse(readFileSync(path.join(dir, marker), 'utf8')) as { ffmpegPid: number }
  return pid
}

/** Waits until a counter stops moving for half a second (the sender is blocked), and returns it. */
async function settleCount(read: () => number): Promise<number> {
  let last = -1
  let stableSince = Date.now()
  for (;;) {
    const now = read()
    if (now !== last) {
      last = now
      stableSince = Date.now()
    } else if (Date.now() - stableSince > 500) return now
    await new Promise((r) => setTimeout(r, 50))
  }
}
