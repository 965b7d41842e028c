/**
 * Stand-in for the pre-join screen until it lands (it belongs to the meeting UI): shows which
 * invite the app was opened with. The pre-join screen keeps `data-testid="prejoin-screen"` and
 * `data-invite`, which the Electron tests look for.
 */
export function PendingInvitePanel({ invite, onDismiss }: { invite: string; onDismiss: () => void }) {
  return (
    <section className="prejoin" aria-labelledby="prejoin-title" data-testid="prejoin-screen" data-invite={invite}>
      <h1 id="prejoin-title">Join a meeting</h1>
      <p className="lead">You opened an invitation link. Check your camera and microphone, then join.</p>
      <p>
        <code className="invite-text">{invite.length > 120 ? `${invite.slice(0, 117)}…` : invite}</code>
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onDismiss}>
          Not now
        </button>
      </div>
    </section>
  )
}
