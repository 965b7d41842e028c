import { useState } from 'react'
import { toDymError, type HostKind, type IdentityView } from '../../../shared/contract/index'

/**
 * Sign in with the ThreeFold Connect phone app. The desktop app opens the login page in its
 * own window and catches the answer; the headless host cannot, and says so.
 */
export function ThreefoldConnect({ hostKind, onSignedIn }: { hostKind: HostKind | null; onSignedIn: (view: IdentityView) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = async () => {
    setError(null)
    setBusy(true)
    try {
      onSignedIn(await window.dym.invoke('identity.threefoldLogin.run', {}))
    } catch (err) {
      setError(toDymError(err).message)
    } finally {
      setBusy(false)
    }
  }

  const cancel = () => {
    void window.dym.invoke('identity.threefoldLogin.cancel', {}).catch(() => undefined)
  }

  return (
    <div className="signin-form">
      <p className="form-note">Approve the login on your phone in the ThreeFold Connect app. Your 3Bot key never leaves your phone.</p>
      {hostKind === 'headless' && (
        <p className="form-note warn-note" id="tfc-headless-note">
          Needs the desktop app: it opens the ThreeFold login page in a window of its own. In this browser, restore with your seed phrase
          instead.
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {busy ? (
        <div className="waiting" role="status">
          <span className="spinner" aria-hidden="true" /> Waiting for your approval in ThreeFold Connect…
          <button type="button" className="button small" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          className={hostKind === 'headless' ? 'button' : 'button primary'}
          onClick={() => void run()}
          // The browser host cannot open the login window: the note above says what to do instead.
          disabled={hostKind === 'headless'}
          aria-describedby={hostKind === 'headless' ? 'tfc-headless-note' : undefined}
        >
          Sign in with ThreeFold Connect
        </button>
      )}
    </div>
  )
}
