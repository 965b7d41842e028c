import path from 'node:path'
import { batchesOf, fixtureFrames, type FixtureFrames } from './encoded-frames'
import { webmFixture } from './media'
import type { RecorderUnderTest } from './recorder'

/** One person of a made-up tracks recording: when they arrive and leave (s of the meeting clock). */
export interface FixturePerson {
  id: string
  name: string
  fromSec?: number
  toSec?: number
  /** a shared screen too, for the same time */
  screen?: boolean
}

/**
 * A real tracks recording made through the recorder service from a fixture's encoded frames, as
 * a page would send them: each person's camera and microphone (and screen) over their own
 * stretch of the meeting. Answers the recording's file and name.
 */
export async function tracksRecording(
  rec: RecorderUnderTest,
  title: string,
  people: FixturePerson[],
  seconds = Math.max(...people.map((p) => p.toSec ?? 6)),
  /** runs once every track is open, before the frames arrive (members answering a consent request) */
  whileRecording?: (state: { recordingId: string; consent?: { id: string; recorder: string } }) => Promise<void>,
  /** false: the app dies before stop (the frames are in, nothing is finished) */
  stop = true
): Promise<{ file: string; name: string; recordingId: string }> {
  const frames = await fixtureFrames((await webmFixture({ seconds: Math.ceil(seconds) })).file)
  const state = await rec.call('recording.start', {
    title,
    path: 'tracks',
    participants: people.filter((p) => !p.fromSec).map((p) => ({ id: p.id, name: p.name }))
  })
  const id = state.recordingId
  const feeds: Array<{ track: number; frames: FixtureFrames['video']; offsetUs?: number }> = []
  for (const p of people) {
    const from = p.fromSec ?? 0
    const to = p.toSec ?? seconds
    const within = (f: { timeUs: number }) => f.timeUs < (to - from) * 1e6
    const roles: Array<['camera' | 'screen', 'video' | 'audio']> = [
      ['camera', 'video'],
      ['camera', 'audio']
    ]
    if (p.screen) roles.push(['screen', 'video'])
    for (const [role, kind] of roles) {
      const { track } = await rec.call('recording.track', {
        recordingId: id,
        personId: p.id,
        personName: p.name,
        role,
        kind,
        codec: kind === 'video' ? 'vp8' : 'opus'
      })
      feeds.push({ track, frames: frames[kind].filter(within), offsetUs: from * 1e6 })
    }
  }
  await whileRecording?.(state)
  for (const [seq, bytes] of batchesOf(feeds).entries()) await rec.call('recording.frames', { recordingId: id, seq, bytes })
  if (stop) await rec.call('recording.stop', { recordingId: id })
  return { file: path.join(rec.folder, state.name), name: state.name, recordingId: id }
}
