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
