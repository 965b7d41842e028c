import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegTools } from '../find-ffmpeg'
import { metadataArgs, type RecordingMetadata } from '../metadata'
import { ffmpegIntoPlace } from '../run-tool'

/** One track file of a recording, as the marker and the merge know it. */
export interface TrackInfo {
  number: number
  file: string
  kind: 'video' | 'audio'
  role: 'camera' | 'screen'
  personId: string
  personName: string
}

/** What the user sees as a track's name in a player: the person, and "(screen)" for a shared screen. */
export function trackTitle(t: Pick<TrackInfo, 'personName' | 'role'>): string {
  return t.role === 'screen' ? `${t.personName} (screen)` : t.personName
}

/**
 * People in order of arrival, each with camera video, microphone, then screen: the order a
 * player lists them in. The first video is the default one (what a player shows first).
 */
export function orderTracks(tracks: readonly TrackInfo[]): TrackInfo[] {
  const rank = (t: TrackInfo) => (t.role === 'screen' ? 2 : t.kind === 'video' ? 0 : 1)
  const firstSeen = new Map<string, number>()
  for (const t of [...tracks].sort((a, b) => a.number - b.number)) if (!firstSeen.has(t.personId)) firstSeen.set(t.personId, t.number)
  return [...tracks].sort(
    (a, b) => (firstSeen.get(a.personId) ?? 0) - (firstSeen.get(b.personId) ?? 0) || rank(a) - rank(b) || a.number - b.number
  )
}

export interface Attachment {
  file: string
  name: string
  mimeType: string
}

export interface MergeInput {
  tracks: readonly TrackInfo[]
  meta: RecordingMetadata
  /**
   * Files to attach (the signed consent log), made from the tracks that go in, in the file's
   * order (a track's stream index is its place in the list), once they are known.
   */
  attach?: (present: readonly TrackInfo[]) => Promise<Attachment[]>
}

/**
 * The track files of a recording into the one Matroska file the user keeps (`target`), by copy
 * (never re-encoded), with their meeting-clock times kept (`-copyts`) so a late joiner starts
 * late: each track named after its person, the first video and audio the default ones, the
 * meeting's title, time and roster in the tags. Written to a hidden file and renamed over the
 * target only when it worked. Track files cut off by a kill end in a partial frame: dropped.
 */
export async function mergeTracks(
  tools: FfmpegTools,
  target: string,
  input: MergeInput
): Promise<{ ok: true; tracks: TrackInfo[] } | { ok: false; reason: string }> {
  const present: TrackInfo[] = []
  for (const t of orderTracks(input.tracks)) {
    const size = await stat(t.file).then(
      (s) => s.size,
      () => 0
    )
    if (size > 0) present.push(t)
  }
  if (present.length === 0) return { ok: false, reason: 'nothing was recorded' }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.remux.mkv`)
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error']
  for (const t of present) args.push('-fflags', '+discardcorrupt', '-i', t.file)
  present.forEach((_, i) => args.push('-map', `${i}:0`))
  let firstVideo = true
  let firstAudio = true
  present.forEach((t, i) => {
    const isDefault = t.kind === 'video' ? firstVideo : firstAudio
    if (t.kind === 'video') firstVideo = false
    else firstAudio = false
    args.push(`-metadata:s:${i}`, `title=${trackTitle(t)}`, `-disposition:${i}`, isDefault ? 'default' : '0')
    // Whose track it is, for the exports and the player (a title is for people, and two may share a name).
    args.push(`-metadata:s:${i}`, `dym_person=${t.personId}`, `-metadata:s:${i}`, `dym_role=${t.role}`)
  })
  const attachments = input.attach ? await input.attach(present) : []
  attachments.forEach((a, i) => {
    args.push('-attach', a.file, `-metadata:s:t:${i}`, `mimetype=${a.mimeType}`, `-metadata:s:t:${i}`, `filename=${a.name}`)
  })
  args.push('-c', 'copy', '-copyts', '-map_metadata', '-1', ...metadataArgs(input.meta), '-f', 'matroska', '-y', temp)
  const done = await ffmpegIntoPlace(tools.ffmpeg, args, temp, target)
  return done.ok ? { ok: true, tracks: present } : done
}
