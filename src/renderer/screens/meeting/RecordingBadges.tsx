import type { PersonView } from '../../../shared/contract/index'
import { formatDuration, useSecondTick } from './second-tick'
import type { MeetingRecording } from './use-meeting-recording'

/**
 * How long our own recording has run, on the page's second tick (second-tick.ts).
 * `data-started-at` (ms since the epoch) is for tests that stop at a mark.
 */
function RecordingClock({ since }: { since: number }) {
  return (
    <span className="meeting-time" data-testid="my-recording-elapsed" data-started-at={since}>
      {formatDuration((useSecondTick() - since) / 1000)}
    </span>
  )
}

/**
 * The header's recording badges: ours (with its clock and a Stop button) while we record;
 * "Recording by <names>" naming everyone else who records (the room tells everyone, late
 * joiners too); and what went wrong with ours, until dismissed.
 */
export function RecordingBadges({
  recorders,
  selfId,
  recording
}: {
  recorders: readonly PersonView[]
  selfId: string
  recording: MeetingRecording
}) {
  const { status, active, problem } = recording
  const others = recorders.filter((p) => p.peerId !== selfId)
  return (
    <>
      {active && (
        <span className="badge badge--rec" data-testid="my-recording" data-phase={status.phase} role="status">
          <span className="rec-dot" aria-hidden="true" />
          {status.phase === 'starting' && 'Starting the recording…'}
          {status.phase === 'stopping' && 'Saving the recording…'}
          {status.phase === 'recording' && (
            <>
              You are recording {status.startedAt !== undefined && <RecordingClock since={status.startedAt} />}
              <button type="button" className="btn btn--ghost btn--small" onClick={recording.toggle} data-testid="my-recording-stop">
                Stop
              </button>
            </>
          )}
        </span>
      )}
      {others.length > 0 && (
        <span className="badge badge--rec" data-testid="recording-indicator" role="status">
          <span className="rec-dot" aria-hidden="true" /> Recording by {names.format(others.map((p) => p.displayName))}
        </span>
      )}
      {problem && (
        <span className="rec-problem" data-testid="recording-problem" role="alert">
          {status.startedAt !== undefined ? 'The recording stopped: ' : 'Could not start recording: '}
          {problem}
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={recording.dismissProblem}
            aria-label="Dismiss the recording message"
          >
            Dismiss
          </button>
        </span>
      )}
    </>
  )
}

/** "Ann", "Ann and Bo", "Ann, Bo, and Cy": in English, like the rest of the UI. */
const names = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' })
