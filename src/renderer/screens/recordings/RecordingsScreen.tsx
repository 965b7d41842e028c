import { ChevronLeftIcon, FolderIcon } from '../../app/icons'
import '../left/left.css'
import type { Navigate } from '../../app/router'

/** Placeholder until the recorder lands: where recordings will be listed. */
export function RecordingsScreen({ go }: { go: (action: Navigate) => void }) {
  return (
    <section className="left card" aria-labelledby="recordings-title">
      <div className="left-mark" aria-hidden="true">
        <FolderIcon size={32} />
      </div>
      <h1 id="recordings-title">Recordings</h1>
      <p className="card-sub">Meetings you record will be listed here, with the file on your disk. Nothing has been recorded yet.</p>
      <div className="left-actions">
        <button type="button" className="btn" onClick={() => go({ to: 'back' })} data-testid="recordings-back">
          <ChevronLeftIcon size={16} /> Back
        </button>
      </div>
    </section>
  )
}
