import { useEffect, useMemo, useState } from 'react'
import { PLAY_READ_MAX_BYTES, toDymError, type RecordingEntry } from '../../../shared/contract/index'

/** Everyone together (a composed recording itself, or a tracks recording's MP4 export). */
const EVERYONE = ''

/** The people of a recording that has a track per person: id and name, in the file's order. */
function peopleOf(entry: RecordingEntry): Array<{ id: string; name: string }> {
  const seen = new Map<string, string>()
  for (const t of entry.tracks) if (t.person && !seen.has(t.person) && t.role !== 'screen') seen.set(t.person, t.title || 'Someone')
  for (const t of entry.tracks) if (t.person && !seen.has(t.person)) seen.set(t.person, t.title.replace(/ \(screen\)$/, '') || 'Someone')
  return [...seen].map(([id, name]) => ({ id, name }))
}

/** Reads an opened recording piece by piece into a blob URL the video element plays. */
async function load(name: string, person: string | null, cancelled: () => boolean): Promise<string | null> {
  const opened = await window.dym.invoke('recording.play-open', { name, person })
  const parts: Uint8Array<ArrayBuffer>[] = []
  for (let offset = 0; offset < opened.sizeBytes; ) {
    if (cancelled()) return null
    const { bytes } = await window.dym.invoke('recording.play-read', { playId: opened.playId, offset, length: PLAY_READ_MAX_BYTES })
    if (bytes.byteLength === 0) break
    parts.push(bytes as Uint8Array<ArrayBuffer>)
    offset += bytes.byteLength
  }
  return URL.createObjectURL(new Blob(parts, { type: opened.mimeType }))
}

/** The recording played in the app: one person's picture and voice, or everyone together. */
export function Player({ entry, onClose }: { entry: RecordingEntry; onClose: () => void }) {
  const people = useMemo(() => peopleOf(entry), [entry])
  const [view, setView] = useState<string>(people[0]?.id ?? EVERYONE)
  // What was loaded, for which view: a view being loaded shows nothing of the last one.
  const [loaded, setLoaded] = useState<{ view: string; url?: string; error?: string } | null>(null)
  const url = loaded?.view === view ? loaded.url : undefined
  const error = loaded?.view === view ? loaded.error : undefined

  useEffect(() => {
    let cancelled = false
    let made: string | null = null
    load(entry.name, view === EVERYONE ? null : view, () => cancelled).then(
      (u) => {
        made = u
        if (cancelled && u) URL.revokeObjectURL(u)
        else if (u) setLoaded({ view, url: u })
      },
      (err) => !cancelled && setLoaded({ view, error: toDymError(err).message })
    )
    return () => {
      cancelled = true
      if (made) URL.revokeObjectURL(made)
    }
  }, [entry.name, view])

  return (
    <section className="rec-player" aria-label={`Player: ${entry.title}`}>
      {people.length > 0 && (
        <label className="rec-player-pick">
          Watch{' '}
          <select value={view} onChange={(e) => setView(e.target.value)}>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            <option value={EVERYONE}>Everyone (the MP4 export)</option>
          </select>
        </label>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : url ? (
        <video src={url} controls autoPlay aria-label={`Recording ${entry.title}`} />
      ) : (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
      <button type="button" className="btn small ghost" onClick={onClose}>
        Close player
      </button>
    </section>
  )
}
