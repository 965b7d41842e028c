import { useCallback, useEffect, useState } from 'react'
import { toDymError, type ExportProgress, type RecorderInfo, type RecordingEntry } from '../../../shared/contract/index'
import { ChevronLeftIcon } from '../../features/icons/icons'
import { useCoreEvent } from '../../features/core/use-core'
import { RecordingCard, type Notify } from './RecordingCard'
import { SelfRecorder } from './SelfRecorder'
import './recordings.css'

type Listing = { state: 'loading' } | { state: 'ready'; folder: string; recordings: RecordingEntry[] } | { state: 'failed'; error: string }

/** Every recording in the recordings folder, with what can be done to each; and "Record yourself". */
export function RecordingsScreen({ selfName = 'You', onBack }: { selfName?: string; onBack?: () => void }) {
  const [listing, setListing] = useState<Listing>({ state: 'loading' })
  const [info, setInfo] = useState<RecorderInfo | null>(null)
  const [exports, setExports] = useState<Record<string, ExportProgress>>({})
  const [notice, setNotice] = useState<{ message: string; kind: 'info' | 'error' } | null>(null)
  const [recordingSelf, setRecordingSelf] = useState(false)

  const reload = useCallback(() => {
    window.dym.invoke('recording.list', {}).then(
      (value) => setListing({ state: 'ready', ...value }),
      (err: unknown) => setListing({ state: 'failed', error: toDymError(err).message })
    )
    window.dym.invoke('recording.info', {}).then(setInfo, () => undefined)
  }, [])
  useEffect(reload, [reload])
  useCoreEvent('recording.list-changed', reload)
  useCoreEvent(
    'recording.state',
    useCallback((s: { phase: string }) => {
      if (s.phase === 'recording') reload()
    }, [reload])
  )
  useCoreEvent(
    'recording.export-progress',
    useCallback((p: ExportProgress) => setExports((all) => ({ ...all, [p.name]: p })), [])
  )
  const notify: Notify = useCallback((message, kind = 'info') => setNotice({ message, kind }), [])

  const ffmpegMissing = info && !info.ffmpeg.available ? info.ffmpeg.problem : null
  return (
    <section className="recordings" aria-labelledby="recordings-title">
      <header className="recordings-head">
        <div>
          {onBack && (
            <button type="button" className="btn btn--ghost btn--small" onClick={onBack} data-testid="recordings-back">
              <ChevronLeftIcon size={16} /> Back
            </button>
          )}
          <h1 id="recordings-title">Recordings</h1>
          {listing.state === 'ready' && (
            <p className="muted">
              Saved in <code data-testid="recordings-folder">{listing.folder}</code>
            </p>
          )}
        </div>
        {!recordingSelf && (
          <button type="button" className="btn primary" onClick={() => setRecordingSelf(true)} disabled={!!ffmpegMissing}>
            Record yourself
          </button>
        )}
      </header>
      {ffmpegMissing && (
        <p role="alert" className="banner error-banner">
          {ffmpegMissing}
        </p>
      )}
      {notice && (
        <div role={notice.kind === 'error' ? 'alert' : 'status'} className={`banner ${notice.kind === 'error' ? 'error-banner' : ''}`}>
          <span>{notice.message}</span>
          <button type="button" className="btn small ghost" onClick={() => setNotice(null)} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
      {recordingSelf && <SelfRecorder selfName={selfName} onClose={() => setRecordingSelf(false)} />}
      {listing.state === 'loading' && <p className="muted">Loading recordings…</p>}
      {listing.state === 'failed' && (
        <p role="alert" className="error">
          Cannot list recordings: {listing.error}
        </p>
      )}
      {listing.state === 'ready' && listing.recordings.length === 0 && (
        <div className="empty">
          <p>No recordings yet.</p>
          <p className="muted">Start one from a meeting, or record yourself to check your camera and microphone.</p>
        </div>
      )}
      {listing.state === 'ready' && listing.recordings.length > 0 && (
        <ul className="rec-list" aria-label="Recordings">
          {listing.recordings.map((entry) => (
            <RecordingCard key={entry.name} entry={entry} exporting={exports[entry.name]} notify={notify} />
          ))}
        </ul>
      )}
    </section>
  )
}
