import { MAX_SCREEN_SOURCES, MAX_THUMBNAIL_CHARS, type ScreenSource } from '../../shared/contract/index'

/**
 * desktopCapturer sources -> what the renderer's picker shows (no Electron import; tested with
 * stand-ins). Names are window titles chosen by other programs: cleaned and bounded. Pictures
 * are JPEG data URLs, shrunk or dropped when they would pass the contract's cap.
 */
export interface ThumbnailLike {
  isEmpty(): boolean
  toJPEG(quality: number): Uint8Array
  resize(options: { width: number }): ThumbnailLike
}

export interface CapturerSourceLike {
  id: string
  name: string
  thumbnail: ThumbnailLike | null
}

// Control characters and bidi overrides (a title can disguise itself with U+202E).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g

export function cleanSourceName(name: string, kind: 'screen' | 'window'): string {
  const cleaned = name.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)
  if (cleaned) return cleaned
  return kind === 'screen' ? 'Screen' : 'Untitled window'
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

export function thumbnailDataUrl(thumbnail: ThumbnailLike | null, maxChars = MAX_THUMBNAIL_CHARS): string | null {
  if (!thumbnail || thumbnail.isEmpty()) return null
  const prefix = 'data:image/jpeg;base64,'
  for (const [image, quality] of [
    [thumbnail, 70],
    [thumbnail.resize({ width: 160 }), 60]
  ] as const) {
    const url = prefix + toBase64(image.toJPEG(quality))
    if (url.length <= maxChars) return url
  }
  return null
}

/**
 * Our own windows are left out (sharing the meeting into itself only shows a hall of mirrors):
 * desktopCapturer marks them `window:<id>:1`. Screens come first, then windows by name.
 */
export function toPickSources(sources: readonly CapturerSourceLike[], maxChars = MAX_THUMBNAIL_CHARS): ScreenSource[] {
  const result: ScreenSource[] = []
  for (const source of sources) {
    if (typeof source.id !== 'string' || source.id.length === 0 || source.id.length > 200) continue
    const kind = source.id.startsWith('screen:') ? 'screen' : 'window'
    if (kind === 'window' && /^window:[^:]+:1$/.test(source.id)) continue
    result.push({
      id: source.id,
      name: cleanSourceName(source.name ?? '', kind),
      kind,
      thumbnail: thumbnailDataUrl(source.thumbnail, maxChars)
    })
  }
  result.sort((a, b) => (a.kind === b.kind ? (a.kind === 'screen' ? 0 : a.name.localeCompare(b.name)) : a.kind === 'screen' ? -1 : 1))
  return result.slice(0, MAX_SCREEN_SOURCES)
}
