import { useState, type FormEvent } from 'react'
import { toDymError, type ExportProgress, type RecordingEntry } from '../../../shared/contract/index'
import { ConfirmDelete } from './ConfirmDelete'
import { formatDate, formatDuration, formatSize } from './format'
import { Player } from './Player'
import { Thumbnail } from './Thumbnail'

export type Notify = (message: string, kind?: 'info' | 'error') => void

/** One recording: what it is, and what can be done with it. */
export function RecordingCard({ entry, exporting, notify }: { entry: RecordingEntry; exporting?: ExportProgress; notify: Notify }) {
  const [renaming, setRenaming] = useState(false)
  const [newTitle, setNewTitle] = useState(entry.title)
  const [confirming, setConfirming] = useState(false)
  const [playing, setPlaying] = useState(false)
  const live = entry.status === 'recording'
  const running = exporting?.state === 'running'

  const act = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run()
    } catch (err) {
      notify(`${what}: ${toDymError(err).message}`, 'error')
    }
  }
  const open = (method: 'recording.open' | 'recording.reveal') =>
    act('Open', async () => {
      const result = await window.dym.invoke(method, { name: entry.name })
      if (!result.opened) notify(`${result.message ?? 'Cannot open it here.'} It is at ${result.path}`, 'info')
    })
  const rename = (e: FormEvent) => {
    e.preventDefault()
    void act('Rename', async () => {
      await window.dym.invoke('recording.rename', { name: entry.name, newTitle: newTitle.trim() })
      setRenaming(false)
    })
  }

  return (
    <li className="rec-card" aria-label={entry.title}>
      <Thumbnail name={entry.name} version={entry.sizeBytes} live={live} />
      <div className="rec-info">
        <div className="rec-title-row">
          {renaming ? (
            <form className="rename-form" onSubmit={rename}>
              <label className="sr-only" htmlFor={`rename-${entry.name}`}>
                New name
              </label>
              <input id={`rename-${entry.name}`} value={newTitle} maxLength={120} onChange={(e) => setNewTitle(e.target.value)} autoFocus />
              <button type="submit" className="btn small primary" disabled={!newTitle.trim()}>
                Save
              </button>
              <button type="button" className="btn small ghost" onClick={() => setRenaming(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <h3 className="rec-title">{entry.title}</h3>
          )}
          {live && <span className="badge live">Recording</span>}
          {entry.status === 'recovered' && (
            <span className="badge warn" title="The app stopped while this was recording; it was finished on the next start">
              Recovered
            </span>
          )}
          {entry.status === 'unreadable' && <span className="badge danger">Unreadable</span>}
        </div>
        <dl className="rec-facts">
          <div>
            <dt>Date</dt>
            <dd>{formatDate(entry.startedAt)}</dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd data-testid="rec-duration">{formatDuration(entry.durationSec)}</dd>
          </div>
          <div>
            <dt>Size</dt>
            <dd>{formatSize(entry.sizeBytes)}</dd>
          </div>
          {entry.width && entry.height ? (
            <div>
              <dt>Picture</dt>
              <dd>
                {entry.width}×{entry.height}
              </dd>
            </div>
          ) : null}
        </dl>
        <p className="rec-people">
          <span className="muted">With </span>
          {entry.participants.length > 0 ? entry.participants.join(', ') : 'nobody named'}
        </p>
        <p className="rec-file">
          <code>{entry.name}</code>
          {entry.exports.length > 0 && <span className="muted"> · Exported: {entry.exports.join(', ')}</span>}
        </p>
        {exporting && <ExportStatus progress={exporting} />}
        {playing && <Player entry={entry} onClose={() => setPlaying(false)} />}
        <div className="rec-actions" role="group" aria-label={`Actions for ${entry.title}`}>
          {!playing && entry.status !== 'unreadable' && (
            <button type="button" className="btn small primary" onClick={() => setPlaying(true)} disabled={live}>
              Play
            </button>
          )}
          <button type="button" className="btn small" onClick={() => void open('recording.open')} disabled={live}>
            Open
          </button>
          <button type="button" className="btn small" onClick={() => void open('recording.reveal')}>
            Show in folder
          </button>
          <button type="button" className="btn small" onClick={() => setRenaming(true)} disabled={live || renaming}>
            Rename
          </button>
          {running ? (
            <button type="button" className="btn small" onClick={() => void act('Cancel export', () => window.dym.invoke('recording.export-cancel', { exportId: exporting.exportId }))}>
              Cancel export
            </button>
          ) : (
            <>
              <button type="button" className="btn small" onClick={() => void act('Export', () => window.dym.invoke('recording.export', { name: entry.name, kind: 'composed' }))} disabled={live}>
                Export MP4
              </button>
              {entry.path === 'tracks' && (
                <button type="button" className="btn small" onClick={() => void act('Export', () => window.dym.invoke('recording.export', { name: entry.name, kind: 'people' }))} disabled={live}>
                  Export each person
                </button>
              )}
            </>
          )}
          <button type="button" className="btn small danger-outline" onClick={() => setConfirming(true)} disabled={live}>
            Delete
          </button>
        </div>
      </div>
      {confirming && (
        <ConfirmDelete
          title={entry.title}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void act('Delete', () => window.dym.invoke('recording.delete', { name: entry.name, confirm: true }))
          }}
        />
      )}
    </li>
  )
}

function ExportStatus({ progress }: { progress: ExportProgress }) {
  const percent = Math.round(progress.fraction * 100)
  if (progress.state === 'done')
    return (
      <p className="ok-text" role="status">
        {progress.kind === 'people' ? 'Files ready' : 'MP4 ready'}: <code>{(progress.outputs ?? [progress.output]).join(', ')}</code>
      </p>
    )
  if (progress.state === 'failed') return <p className="error" role="alert">{progress.error ?? 'Export failed'}</p>
  if (progress.state === 'cancelled') return <p className="muted" role="status">Export cancelled</p>
  return (
    <div className="export-progress">
      <div className="progress" role="progressbar" aria-label={progress.kind === 'people' ? 'Exporting each person' : 'Exporting MP4'} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="muted">
        {progress.kind === 'people' ? 'Exporting each person' : 'Exporting MP4'}… {percent}%{progress.speed ? ` (${progress.speed.toFixed(1)}× real time)` : ''}
      </span>
    </div>
  )
}
