import type { Member, PersonView } from '../../../shared/contract/index'
import { CameraOffIcon, HandIcon, MicOffIcon } from '../../features/icons/icons'
import type { RemotePeerView } from '../../features/call/types'
import { MeetingModerationBar, MemberModeration, type ModerationControl } from './ModerationControls'
import { SidePanel } from './SidePanel'
import { VerificationBadge } from './Tile'

const STATE_TEXT: Record<string, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  unreachable: 'Cannot reach',
  connected: '',
  closed: ''
}

interface Props {
  self: Member
  selfMuted: boolean
  selfCameraOff: boolean
  members: readonly Member[]
  peers: ReadonlyMap<string, RemotePeerView>
  hands: ReadonlySet<string>
  joinRequests: readonly PersonView[]
  onAdmit: (peerId: string, admit: boolean) => void
  /** the host's (or a co-host's) controls; null for everyone else, who sees none */
  moderation: ModerationControl | null
  /** the host locked the meeting: shown to everyone */
  locked: boolean
  onClose: () => void
}

/** Who is here, how sure we are of who they are, who asks to come in, and the host's controls. */
export function ParticipantsPanel(p: Props) {
  const { self, selfMuted, selfCameraOff, members, peers, hands, joinRequests, onAdmit, moderation, onClose } = p
  const rows = [{ m: { ...self, muted: selfMuted, cameraOff: selfCameraOff }, you: true }, ...members.map((m) => ({ m, you: false }))]
  return (
    <SidePanel title={`People (${rows.length})`} onClose={onClose} testId="participants-panel">
      {p.locked && (
        <p className="people-locked" data-testid="people-locked">
          The meeting is locked: nobody new can join.
        </p>
      )}
      {moderation && <MeetingModerationBar control={moderation} others={members.length} />}
      {joinRequests.length > 0 && (
        <section className="people-requests" aria-label="Asking to join">
          <h3>Asking to join</h3>
          {joinRequests.map((p) => (
            <div key={p.peerId} className="person" data-testid="join-request">
              <span className="person-main">
                <span className="person-name">{p.displayName}</span>
                <VerificationBadge verification={p.verification} warning={p.warning} />
              </span>
              <button
                type="button"
                className="btn btn--small btn--primary"
                onClick={() => onAdmit(p.peerId, true)}
                data-testid="join-request-admit"
              >
                Admit
              </button>
              <button type="button" className="btn btn--small" onClick={() => onAdmit(p.peerId, false)} data-testid="join-request-deny">
                Deny
              </button>
            </div>
          ))}
        </section>
      )}
      <ul className="people-list">
        {rows.map(({ m, you }) => {
          const peer = peers.get(m.peerId)
          const muted = peer?.media?.muted ?? m.muted
          const cameraOff = peer?.media?.cameraOff ?? m.cameraOff
          const state = you ? '' : STATE_TEXT[peer?.state ?? 'connecting']
          return (
            <li key={m.peerId} className="person" data-testid="participant" data-peer-id={m.peerId}>
              <span className="person-main">
                <span className="person-name">
                  {m.displayName}
                  {you && <span className="person-you"> (you)</span>}
                  {m.isCreator && <span className="person-role">Organiser</span>}
                  {m.isCoHost && !m.isCreator && (
                    <span className="person-role" data-testid="participant-co-host">
                      Co-host
                    </span>
                  )}
                </span>
                <span className="person-sub">
                  <VerificationBadge verification={m.verification} warning={m.warning} testId="participant-badge" />
                  {m.name && <span className="person-handle">{m.name}</span>}
                  <span className="person-fp" title="Device key fingerprint: compare it with theirs to be sure">
                    {m.fingerprint}
                  </span>
                </span>
                {m.verification === 'warning' && m.warning && <span className="person-warning">{m.warning}</span>}
                {state && <span className="person-state">{state}</span>}
              </span>
              <span className="person-icons">
                {hands.has(m.peerId) && (
                  <span role="img" aria-label="Hand raised" className="person-hand">
                    <HandIcon size={16} />
                  </span>
                )}
                {muted && (
                  <span role="img" aria-label="Muted">
                    <MicOffIcon size={16} />
                  </span>
                )}
                {cameraOff && (
                  <span role="img" aria-label="Camera off">
                    <CameraOffIcon size={16} />
                  </span>
                )}
              </span>
              {moderation && !you && <MemberModeration control={moderation} member={m} muted={muted} />}
            </li>
          )
        })}
      </ul>
    </SidePanel>
  )
}
