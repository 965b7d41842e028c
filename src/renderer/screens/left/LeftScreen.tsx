import { LeaveIcon } from '../../features/icons/icons'
import type { JoinIntent } from '../../features/call/meeting-join'
import type { Navigate } from '../../features/navigation/navigate'
import './left.css'

/** After a meeting: go back in, or home. */
export function LeftScreen({
  title,
  reason,
  removed = false,
  intent,
  go
}: {
  title: string
  reason?: string
  /** the host removed us: the old invite no longer lets us back, so no Rejoin */
  removed?: boolean
  intent: JoinIntent
  go: (action: Navigate) => void
}) {
  return (
    <section className="left card" aria-labelledby="left-title">
      <div className="left-mark" aria-hidden="true">
        <LeaveIcon size={30} />
      </div>
      <h1 id="left-title" data-testid="left-heading">
        {removed ? 'You were removed from the meeting' : reason ? 'The meeting ended' : 'You left the meeting'}
      </h1>
      <p className="card-sub" data-testid="left-meeting-title">
        {title || 'Untitled meeting'}
      </p>
      {reason && (
        <p className="alert alert--info" data-testid="left-reason">
          {reason}
        </p>
      )}
      <div className="left-actions">
        {!removed && (
          <button
            type="button"
            className="btn btn--primary btn--large"
            onClick={() => go({ to: 'prejoin', intent })}
            data-testid="rejoin-button"
          >
            Rejoin
          </button>
        )}
        <button
          type="button"
          className={removed ? 'btn btn--primary btn--large' : 'btn btn--large'}
          onClick={() => go({ to: 'home' })}
          data-testid="home-button"
        >
          Return to home
        </button>
      </div>
    </section>
  )
}
