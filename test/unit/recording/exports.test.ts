import { readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { meetingLayout } from '../../../src/main/core/recorder/export/grid-layout'
import { meanVolumeDb, regionLuma, streamFacts } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'
import { tracksRecording } from '../../support/tracks-fixture'

let rec: RecorderUnderTest
let recording: { file: string; name: string }

async function exportOf(kind: 'composed' | 'people') {
  const { exportId } = await rec.call('recording.export', { name: recording.name, kind })
  const done = await rec.waitForEvent('recording.export-progress', (p) => p.exportId === exportId && p.state !== 'running', 120_000)
  const progress = rec.eventsOf('recording.export-progress').filter((p) => p.exportId === exportId)
  return { done, progress }
}

describe('exports of a tracks recording (real ffmpeg)', () => {
  /** Alice all along; Bob leaves 4 s in; Carol joins 3 s in and shares her screen. */
  beforeAll(async () => {
    rec = await new RecorderUnderTest().start()
    recording = await tracksRecording(
      rec,
      'Exported',
      [
        { id: 'peer-a', name: 'Alice' },
        { id: 'peer-b', name: 'Bob', toSec: 4 },
        { id: 'peer-c', name: 'Carol', fromSec: 3, screen: true }
      ],
      8
    )
  }, 120_000)

  afterAll(async () => rec?.close())

  it('Export MP4: everyone in a grid, the screen large, each tile dark while its person is not there, voices mixed, at the tracks frame rate', async () => {
    const { done, progress } = await exportOf('composed')
    expect(done).toMatchObject({ state: 'done', kind: 'composed', output: recording.name.replace('.mkv', '.mp4') })
    const fractions = progress.map((p) => p.fraction)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    const mp4 = path.join(rec.folder, done.output!)
    const [video, audio] = await streamFacts(mp4)
    expect([video?.codec_name, audio?.codec_name]).toEqual(['h264', 'aac'])
    // The fixture's cameras send 30 fps: so does the export, over the whole meeting.
    expect((video!.packets - 1) / (video!.last - video!.first)).toBeCloseTo(30, 0)
    expect(video!.last).toBeGreaterThan(7.5)

    const layout = meetingLayout(3, 1)
    const [alice, bob, carol] = layout.people
    const screen = layout.screens[0]!
    // An inner part of each tile, away from the name.
    const inner = (t: { x: number; y: number; w: number; h: number }) => ({ x: t.x + t.w / 4, y: t.y + t.h / 8, w: t.w / 2, h: t.h / 2 })
    const lit = async (at: number, tile: { x: number; y: number; w: number; h: number }) => (await regionLuma(mp4, at, inner(tile))) > 60
    expect([await lit(1.5, alice!), await lit(1.5, bob!), await lit(1.5, carol!), await lit(1.5, screen)]).toEqual([
      true,
      true,
      false,
      false
    ])
    expect([await lit(6, alice!), await lit(6, bob!), await lit(6, carol!), await lit(6, screen)]).toEqual([true, false, true, true])
    expect(await meanVolumeDb(mp4)).toBeGreaterThan(-30)
  }, 180_000)

  it('Export each person: a WebM per person by copy, each starting when they arrived', async () => {
    const { done } = await exportOf('people')
    const base = recording.name.replace('.mkv', '')
    expect(done.state).toBe('done')
    expect(done.outputs).toEqual([`${base} - Alice.webm`, `${base} - Bob.webm`, `${base} - Carol.webm`])
    const source = await streamFacts(recording.file)
    const carol = await streamFacts(path.join(rec.folder, `${base} - Carol.webm`))
    expect(carol.map((s) => s.codec_name)).toEqual(['vp8', 'opus', 'vp8'])
    // Every frame as recorded (copied, not re-encoded), from 0: her file starts when she came.
    expect(carol[0]!.packets).toBe(source.find((s) => s.title === 'Carol')!.packets)
    expect(carol[0]!.first).toBeLessThan(0.1)
    expect(carol[0]!.last).toBeCloseTo(4.9, 0)
    const bob = await streamFacts(path.join(rec.folder, `${base} - Bob.webm`))
    expect(bob[0]!.last).toBeLessThan(4.1)
    const listed = (await rec.call('recording.list', {})).recordings.find((r) => r.name === recording.name)
    expect(listed?.exports).toEqual(expect.arrayContaining(done.outputs!))
    expect(readdirSync(rec.folder).filter((n) => n.startsWith('.'))).toEqual([])
  }, 120_000)
})

describe('the grid of an export', () => {
  it('two people side by side, three in a 2x2 grid with the last one centred, a screen large with the people beside it', () => {
    expect(meetingLayout(2, 0).people).toEqual([
      { x: 0, y: 0, w: 640, h: 720 },
      { x: 640, y: 0, w: 640, h: 720 }
    ])
    const three = meetingLayout(3, 0).people
    expect(three.map((t) => [t.w, t.h])).toEqual([
      [640, 360],
      [640, 360],
      [640, 360]
    ])
    expect(three[2]).toMatchObject({ x: 320, y: 360 })
    const shared = meetingLayout(2, 1)
    expect(shared.screens).toEqual([{ x: 0, y: 0, w: 960, h: 720 }])
    expect(shared.people).toEqual([
      { x: 960, y: 0, w: 320, h: 360 },
      { x: 960, y: 360, w: 320, h: 360 }
    ])
  })
})
