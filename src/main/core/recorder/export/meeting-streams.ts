import type { ProbeStream } from '../probe'
import type { ScannedStream } from '../track-scan'

/** One stream of a recording with where it sits on the meeting's clock. */
export interface TimedStream {
  index: number
  startSec: number
  endSec: number
  /** packets per second over the stream's own stretch */
  fps: number
}

/** One person of a tracks recording: their camera, microphone and shared screens, each timed. */
export interface MeetingPerson {
  key: string
  name: string
  camera: TimedStream | null
  audio: TimedStream[]
  screens: TimedStream[]
}

const SCREEN_SUFFIX = ' (screen)'

/**
 * The people of a recording from its probed streams and one packet scan: whose each stream is
 * (the `dym_person`/`dym_role` tags; the title in recordings from before the tags), in order of
 * appearance, and when each stream starts and ends. A person with only a microphone is kept
 * (their tile shows their name).
 */
export function meetingPeople(streams: readonly ProbeStream[], scans: readonly ScannedStream[]): MeetingPerson[] {
  const scanOf = new Map(scans.map((s) => [s.index, s]))
  const people = new Map<string, MeetingPerson>()
  for (const s of streams) {
    const scan = scanOf.get(s.index)
    if (!scan || scan.packets === 0) continue
    const screen = s.role === 'screen' || (!s.role && s.kind === 'video' && s.title.endsWith(SCREEN_SUFFIX))
    const name = (screen && s.title.endsWith(SCREEN_SUFFIX) ? s.title.slice(0, -SCREEN_SUFFIX.length) : s.title) || 'Someone'
    const key = s.person ?? name
    const person = people.get(key) ?? { key, name, camera: null, audio: [], screens: [] }
    people.set(key, person)
    const span = Math.max(0.001, scan.endSec - scan.startSec)
    const timed: TimedStream = { index: s.index, startSec: scan.startSec, endSec: scan.endSec, fps: scan.packets / span }
    if (s.kind === 'audio') person.audio.push(timed)
    else if (screen) person.screens.push(timed)
    else if (!person.camera) person.camera = timed
  }
  return [...people.values()]
}

/**
 * The frame rate of an export: the fastest camera's own rate (the tracks are recorded as they
 * arrived, so that is what the people were seen at), else the fastest screen's, 1 to 60.
 */
export function exportFrameRate(people: readonly MeetingPerson[]): number {
  const cameras = people.flatMap((p) => (p.camera ? [p.camera.fps] : []))
  const rates = cameras.length > 0 ? cameras : people.flatMap((p) => p.screens.map((s) => s.fps))
  if (rates.length === 0) return 15
  return Math.min(60, Math.max(1, Math.round(Math.max(...rates))))
}
