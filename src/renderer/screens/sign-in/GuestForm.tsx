import { useId, useState, type FormEvent } from 'react'
import { toDymError, type IdentityView } from '../../../shared/contract/index'
import { hasHiddenCharacters, looksLikeThreeBotName } from '../../../shared/identity/names'

/** Join with a display name only; everyone sees the guest badge. */
export function GuestForm({ onSignedIn }: { onSignedIn: (view: IdentityView) => void }) {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const displayName = name.trim()
    if (displayName === '') return setError('Type the name others will see.')
    if (hasHiddenCharacters(displayName)) return setError('A name cannot hold invisible or text-direction characters.')
    if (looksLikeThreeBotName(displayName))
      return setError('A guest name cannot look like a 3Bot name (.3bot): restore your 3Bot identity instead.')
    setError(null)
    setBusy(true)
    try {
      onSignedIn(await window.dym.invoke('identity.guest', { displayName }))
    } catch (err) {
      setError(toDymError(err).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="signin-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={`${id}-name`}>Your name</label>
      <input
        id={`${id}-name`}
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="Dana"
        maxLength={64}
        autoComplete="nickname"
        aria-describedby={`${id}-note`}
      />
      <p className="form-note" id={`${id}-note`}>
        Others see this name with a guest badge: it is not checked by anyone.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        Continue as guest
      </button>
    </form>
  )
}
