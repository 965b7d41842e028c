import type { TileModel } from './tiles'

/** What the compositor takes, with the stream type left open so this stays pure (unit-tested in Node). */
export interface RecordingSource<S> {
  id: string
  name: string
  stream: S | null
  isScreen: boolean
  isSpeaking: boolean
}

/**
 * The meeting's tiles as the recording's sources: every camera tile (ours and every remote
 * member's, with their sound) and every shared screen, named as the meeting names them. A tile
 * whose camera is off keeps only its sound (`audioOnly`), so the recording shows initials rather
 * than a frozen last frame. Ids are stable per person and role, so a change of tiles
 * mid-recording moves nothing that stays.
 */
export function recordingSources<S>(tiles: readonly TileModel<S>[], audioOnly: (stream: S) => S | null): RecordingSource<S>[] {
  return tiles.map((t) => {
    const screen = t.role === 'screen'
    const stream = t.stream === null ? null : t.showVideo ? t.stream : audioOnly(t.stream)
    return {
      id: screen ? `screen:${t.peerId}` : t.peerId,
      name: t.person.displayName, // the compositor labels a screen "(screen)" itself
      stream,
      isScreen: screen,
      isSpeaking: t.speaking
    }
  })
}

/** One track of a per-person recording (see TrackSource in features/recording), generic for the unit tests. */
export interface TrackSourceOf<T, R> {
  personId: string
  personName: string
  role: 'camera' | 'screen'
  kind: 'video' | 'audio'
  receiver?: R
  track?: T
}

export interface StreamParts<S, T, R> {
  video: (stream: S) => T | null
  audio: (stream: S) => T | null
  /** the receiver a remote track arrives on */
  receiverOf: (peerId: string, track: T) => R | null
}

/**
 * The meeting's tiles as the tracks of a per-person recording: each remote person's camera video
 * and microphone (by the receivers they arrive on) and screen; our own camera, microphone and
 * screen as raw tracks. A camera that is off keeps its track (a pause in the file, not an end).
 */
export function trackSources<S, T, R>(tiles: readonly TileModel<S>[], mic: T | null, parts: StreamParts<S, T, R>): TrackSourceOf<T, R>[] {
  const out: TrackSourceOf<T, R>[] = []
  for (const t of tiles) {
    const person = { personId: t.peerId, personName: t.person.displayName }
    const role = t.role === 'screen' ? ('screen' as const) : ('camera' as const)
    const video = t.stream === null ? null : parts.video(t.stream)
    const audio = t.stream === null || role === 'screen' ? null : parts.audio(t.stream)
    if (t.self) {
      if (video) out.push({ ...person, role, kind: 'video', track: video })
      if (role === 'camera' && mic) out.push({ ...person, role, kind: 'audio', track: mic })
      continue
    }
    for (const [kind, track] of [
      ['video', video],
      ['audio', audio]
    ] as const) {
      const receiver = track ? parts.receiverOf(t.peerId, track) : null
      if (receiver) out.push({ ...person, role, kind, receiver })
    }
  }
  return out
}
