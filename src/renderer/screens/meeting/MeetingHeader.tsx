import type { PersonView } from '../../../shared/contract/index'
import { InviteButton } from './InviteButton'
import { RecordingBadges } from './RecordingBadges'
import { formatDuration, useSecondTick } from './second-tick'
import type { MeetingRecording } from './use-meeting-recording'

function Elapsed({ since }: { since: number }) {
  const text = formatDuration((useSecondTick() - since) / 1000)
  return (
    <span className="meeting-time" aria-label={`In the meeting for ${text}`}>
      {text}
    </span>
  )
}

/** The meeting's top line: its title, how long we have been in it, who records, our screen share, the invite. */
export function MeetingHeader(p: {
  title: string
  joinedAt: number
  people: number
  recorders: readonly PersonView[]
  /** the host locked the meeting: nobody new gets in */
  locked: boolean
  selfId: string
  recording: MeetingRecording
  screenOn: boolean
  onStopSharing: () => void
  invite: string
  inviteCode: string
  inviteOpen: boolean
  onInviteOpenChange: (open: boolean) => void
}) {
  return (
    <header className="meeting-top">
      <div className="meeting-heading">
        <h1 className="meeting-title" data-testid="meeting-title">
          {p.title || 'Meeting'}
        </h1>
        <span className="meeting-meta">
          <Elapsed since={p.joinedAt} />
          <span aria-hidden="true">·</span>
          <span data-testid="meeting-people">{p.people === 1 ? 'Just you' : `${p.people} people`}</span>
        </span>
        {p.locked && (
          <span className="badge badge--locked" data-testid="meeting-locked" title="The host locked the meeting: nobody new can join">
            Locked
          </span>
        )}
        <RecordingBadges recorders={p.recorders} selfId={p.selfId} recording={p.recording} />
        {p.screenOn && (
          <span className="badge badge--share" data-testid="screen-share-indicator" role="status">
            You are sharing your screen
            <button type="button" className="btn btn--ghost btn--small" onClick={p.onStopSharing} data-testid="screen-share-stop">
              Stop sharing
            </button>
          </span>
        )}
      </div>
      <InviteButton invite={p.invite} code={p.inviteCode} open={p.inviteOpen} onOpenChange={p.onInviteOpenChange} />
    </header>
  )
}
