import { formatDateTime } from '../../features/format/date-time'
import { useEffect, useRef, useState } from 'react'
import { toDymError, type IdentityView, type SignInMethod } from '../../../shared/contract/index'
import { Avatar, VerificationBadge } from '../../features/identity/person'
import '../../features/identity/identity.css'

type SignedIn = Extract<IdentityView, { signedIn: true }>

const VIA: Record<SignInMethod, string> = {
  'threefold-connect': 'ThreeFold Connect',
  seed: 'seed phrase',
  guest: 'guest name'
}

/** Who we are to others: name, badge, device key fingerprint; and sign-out. */
export function ProfileScreen({
  identity,
  onBack,
  onSignedOut
}: {
  identity: SignedIn
  onBack: () => void
  onSignedOut: (view: IdentityView) => void
}) {
  const { person } = identity
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const signOut = async () => {
    setBusy(true)
    setError(null)
    try {
      onSignedOut(await window.dym.invoke('identity.signOut', { confirm: true }))
    } catch (err) {
      setError(toDymError(err).message)
      setBusy(false)
    }
  }

  return (
    <section className="profile" aria-labelledby="profile-name">
      <button type="button" className="button link back" onClick={onBack}>
        ← Back
      </button>
      <div className="profile-card">
        <div className="profile-head">
          <Avatar person={person} size="large" />
          <div>
            <h1 id="profile-name" data-testid="profile-name">
              {person.displayName}
            </h1>
            <VerificationBadge verification={person.verification} />
          </div>
        </div>
        {person.warning && (
          <p className="profile-warning" role="status">
            {person.warning}
          </p>
        )}
        <dl className="profile-facts">
          <dt>Signed in with</dt>
          <dd>
            {VIA[identity.via]}, {formatDateTime(identity.signedInAt)}
          </dd>
          <dt>Device key fingerprint</dt>
          <dd>
            <code data-testid="profile-fingerprint">{person.fingerprint}</code>
            <span className="fact-note">Compare it with what others see for you, to be sure nobody sits in between.</span>
          </dd>
          <dt>Peer id</dt>
          <dd>
            <code className="peer-id">{person.peerId}</code>
          </dd>
        </dl>
        {person.verification === 'guest' && (
          <p className="form-note">As a guest you are shown as unverified. Sign out and restore your 3Bot identity to be verified.</p>
        )}
        {!confirming ? (
          <button type="button" className="button danger" onClick={() => setConfirming(true)}>
            Sign out…
          </button>
        ) : (
          <ConfirmSignOut busy={busy} onCancel={() => setConfirming(false)} onConfirm={() => void signOut()} />
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  )
}

function ConfirmSignOut({ busy, onCancel, onConfirm }: { busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null)
  // The safe choice has the focus.
  useEffect(() => cancelRef.current?.focus(), [])
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-labelledby="signout-title"
      aria-describedby="signout-text"
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h2 id="signout-title">Sign out of this computer?</h2>
      <p id="signout-text">
        This removes this device's key and your sign-in from this computer. You can sign in again at any time; people you meet will see a
        new device key.
      </p>
      <div className="confirm-actions">
        <button type="button" className="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={onConfirm} disabled={busy}>
          {busy ? 'Signing out…' : 'Sign out and remove keys'}
        </button>
      </div>
    </div>
  )
}
