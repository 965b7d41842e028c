import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CoreClient } from '../support/core-client'
import { Harness } from '../support/harness'
import type { HostProcess } from '../support/host-process'
import { playableSeconds, sliceEvenly, webmFixture, type WebmFixture } from '../support/media'

let harness: Harness
let fixture: WebmFixture
const clients: CoreClient[] = []

beforeAll(async () => {
  fixture = await webmFixture({ seconds: 12 })
}, 120_000)

afterEach(async () => {
  for (const c of clients.splice(0)) c.close()
  await harness.close()
})

/** The running recording's marker, as the core wrote it: which file, which ffmpeg. */
function activeMarker(dataDir: string): { file: string; ffmpegPid: number } {
  const dir = path.join(dataDir, 'recorder', 'active')
  const name = readdirSync(dir).find((n) => n.endsWith('.json'))
  if (!name) throw new Error('no recording marker')
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { file: string; ffmpegPid: number }
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
}

/**
 * Records through a real `dym serve`, one 1-second slice per second like MediaRecorder, for 8 s,
 * then kills it with SIGKILL (and, when asked, its ffmpeg too, as if the whole app went down).
 */
async function recordAndKill(alsoKillFfmpeg: boolean): Promise<{ host: HostProcess; file: string; recordingsDir: string }> {
  const recordingsDir = harness.tempDir('dym-recordings-')
  const host = await harness.startHost({ env: { DYM_RECORDINGS_DIR: recordingsDir } })
  const client = await CoreClient.connect(host)
  clients.push(client)
  const state = await client.invoke('recording.start', { title: 'Crash test', participants: [{ id: 'a', name: 'alice.3bot' }] })
  const slices = sliceEvenly(fixture.bytes, fixture.seconds)
  const started = Date.now()
  for (let seq = 0; seq < 8; seq++) {
    await client.invoke('recording.chunk', { recordingId: state.recordingId, seq, bytes: slices[seq] as Uint8Array })
    // Real-time pace: slice n+1 leaves when n+1 seconds of the recording have passed.
    await new Promise((r) => setTimeout(r, Math.max(0, started + (seq + 1) * 1000 - Date.now())))
  }
  const marker = activeMarker(host.dataDir)
  // The kill must hit the process that runs the core (no wrapper in between).
  expect(parentOf(marker.ffmpegPid)).toBe(host.child.pid)
  if (alsoKillFfmpeg) process.kill(marker.ffmpegPid, 'SIGKILL')
  await host.kill()
  return { host, file: marker.file, recordingsDir }
}

describe('recording survives a SIGKILL of its host', () => {
  it('core and ffmpeg killed 8 s in: the file plays at least 6 s, and after a restart it is repaired and listed', async () => {
    harness = new Harness()
    const { host, file, recordingsDir } = await recordAndKill(true)
    expect(await playableSeconds(file)).toBeGreaterThanOrEqual(6)

    const again = await harness.startHost({ dataDir: host.dataDir, env: { DYM_RECORDINGS_DIR: recordingsDir } })
    const client = await CoreClient.connect(again)
    clients.push(client)
    const { recordings } = await client.invoke('recording.list', {})
    expect(recordings).toHaveLength(1)
    expect(recordings[0]).toMatchObject({
      name: path.basename(file),
      status: 'recovered',
      title: 'Crash test',
      participants: ['alice.3bot'],
      hasAudio: true
    })
    expect(recordings[0]?.durationSec).toBeGreaterThanOrEqual(6)
    expect(await playableSeconds(file)).toBeGreaterThanOrEqual(6)
  })

  it('core killed alone: its ffmpeg finishes the file, and the restarted core lists it', async () => {
    harness = new Harness()
    const { host, file, recordingsDir } = await recordAndKill(false)
    const again = await harness.startHost({ dataDir: host.dataDir, env: { DYM_RECORDINGS_DIR: recordingsDir } })
    const client = await CoreClient.connect(again)
    clients.push(client)
    const { recordings } = await client.invoke('recording.list', {})
    expect(recordings.map((r) => [r.name, r.status])).toEqual([[path.basename(file), 'recovered']])
    expect(recordings[0]?.durationSec).toBeGreaterThanOrEqual(6)
  })
})
