import { z } from 'zod'

/**
 * What we write into a recording's Matroska tags, and read back when listing. People read
 * `title`, `date` and `participants` in any player's "media information"; the exact list
 * also goes in `dym_participants` as JSON so names with commas survive the round trip.
 */
export interface RecordingMetadata {
  title: string
  startedAt: number
  participants: string[]
  /** finished by the recovery after the app or core was killed */
  recovered?: boolean
  /**
   * how it was recorded: `tracks` (each person's own encoded frames, one track each) or
   * `composed` (the compositor's drawing of everyone, one video); older files have neither
   */
  path?: RecordingPath
}

export type RecordingPath = 'tracks' | 'composed'

export function metadataArgs(meta: RecordingMetadata): string[] {
  const iso = new Date(meta.startedAt).toISOString()
  const tags: Record<string, string> = {
    title: meta.title,
    date: iso,
    // ffmpeg maps creation_time to the Matroska segment's DateUTC
    creation_time: iso,
    participants: meta.participants.join(', '),
    dym_participants: JSON.stringify(meta.participants),
    comment: 'Recorded with Digital You Meet'
  }
  if (meta.recovered) tags.dym_recovered = '1'
  if (meta.path) tags.dym_recording_path = meta.path
  return Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`])
}

const Names = z.array(z.string().max(64)).max(500)

/** Our metadata back out of probed tags (keys in any case); missing parts stay undefined. */
export function readMetadata(tags: Record<string, string>): Partial<RecordingMetadata> {
  const get = (key: string) => tags[key] ?? tags[key.toUpperCase()]
  const out: Partial<RecordingMetadata> = {}
  const title = get('title')
  if (title) out.title = title.slice(0, 200)
  const date = Date.parse(get('date') ?? get('creation_time') ?? '')
  if (Number.isFinite(date)) out.startedAt = date
  const exact = get('dym_participants')
  if (exact) {
    try {
      const parsed = Names.safeParse(JSON.parse(exact))
      if (parsed.success) out.participants = parsed.data
    } catch {
      // fall back to the readable list
    }
  }
  if (!out.participants) {
    const readable = get('participants')
    if (readable)
      out.participants = readable
        .split(', ')
        .map((n) => n.trim().slice(0, 64))
        .filter(Boolean)
        .slice(0, 500)
  }
  if (get('dym_recovered') === '1') out.recovered = true
  const recordedAs = get('dym_recording_path')
  if (recordedAs === 'tracks' || recordedAs === 'composed') out.path = recordedAs
  return out
}
