import { useState } from 'react'
import type { Member, ModerationAction } from '../../../shared/contract/index'
import { ModalDialog } from '../../features/dialog/ModalDialog'

/** What the participants panel needs to show the host's (or a co-host's) controls. */
export interface ModerationControl {
  /** we are the host: we may also make co-hosts */
  isHost: boolean
  locked: boolean
  act: (action: ModerationAction) => void
}

/** For the whole meeting: mute everyone, lock or unlock it. */
export function MeetingModerationBar({ control, others }: { control: ModerationControl; others: number }) {
  const { locked, act } = control
  return (
    <div className="moderation-bar" role="group" aria-label="Host controls" data-testid="host-controls">
      <button
        type="button"
        className="btn btn--small"
        disabled={others === 0}
        onClick={() => act({ kind: 'mute-all' })}
        data-testid="moderate-mute-all"
      >
        Mute everyone
      </button>
      <button
        type="button"
        className={locked ? 'btn btn--small btn--primary' : 'btn btn--small'}
        aria-pressed={locked}
        onClick={() => act({ kind: 'lock', locked: !locked })}
        data-testid="moderate-lock"
      >
        {locked ? 'Unlock meeting' : 'Lock meeting'}
      </button>
    </div>
  )
}

/** For one member: mute or ask to unmute, make co-host, remove (after a confirmation). */
export function MemberModeration({ control, member, muted }: { control: ModerationControl; member: Member; muted: boolean }) {
  const [confirming, setConfirming] = useState(false)
  const { act, isHost } = control
  const name = member.displayName
  const peerId = member.peerId
  return (
    <div className="person-actions" role="group" aria-label={`Moderate ${name}`} data-testid="person-actions">
      {muted ? (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          aria-label={`Ask to unmute: ${name}`}
          onClick={() => act({ kind: 'ask-unmute', peerId })}
          data-testid="moderate-ask-unmute"
        >
          Ask to unmute
        </button>
      ) : (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          aria-label={`Mute ${name}`}
          onClick={() => act({ kind: 'mute', peerId })}
          data-testid="moderate-mute"
        >
          Mute
        </button>
      )}
      {isHost && !member.isCreator && (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          aria-label={member.isCoHost ? `Remove co-host role from ${name}` : `Make co-host: ${name}`}
          onClick={() => act({ kind: 'co-host', peerId, granted: !member.isCoHost })}
          data-testid="moderate-co-host"
        >
          {member.isCoHost ? 'Remove co-host' : 'Make co-host'}
        </button>
      )}
      {!member.isCreator && (
        <button
          type="button"
          className="btn btn--small btn--ghost person-remove"
          aria-label={`Remove ${name} from the meeting`}
          onClick={() => setConfirming(true)}
          data-testid="moderate-remove"
        >
          Remove
        </button>
      )}
      {confirming && (
        <ModalDialog
          open
          title={`Remove ${name}?`}
          onCancel={() => setConfirming(false)}
          testId="remove-dialog"
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--danger"
                data-autofocus
                onClick={() => {
                  setConfirming(false)
                  act({ kind: 'remove', peerId })
                }}
                data-testid="remove-confirm"
              >
                Remove
              </button>
            </>
          }
        >
          <p>
            {name} leaves the meeting at once. The meeting gets a new key, so the invite they have no longer lets them back in; everyone
            else stays in the call.
          </p>
        </ModalDialog>
      )}
    </div>
  )
}

/** "The host asks you to unmute": only the person themself unmutes. */
export function AskUnmuteCard({ by, onAnswer }: { by: string; onAnswer: (unmute: boolean) => void }) {
  return (
    <section className="ask-unmute card" role="alert" aria-label="Request to unmute" data-testid="ask-unmute">
      <p>{by} asks you to unmute.</p>
      <div className="ask-unmute-actions">
        <button type="button" className="btn btn--small btn--primary" onClick={() => onAnswer(true)} data-testid="ask-unmute-accept">
          Unmute
        </button>
        <button type="button" className="btn btn--small" onClick={() => onAnswer(false)} data-testid="ask-unmute-dismiss">
          Stay muted
        </button>
      </div>
    </section>
  )
}
