import { useState } from 'react'
import type { IdentityView } from '../../shared/contract/index'
import { PendingInvitePanel } from '../features/deep-link/PendingInvitePanel'
import { usePendingInvite } from '../features/deep-link/use-pending-invite'
import { IdentityButton } from '../features/identity/IdentityButton'
import { useIdentity } from '../features/identity/use-identity'
import { ScreenPickerDialog } from '../features/screen-picker/ScreenPickerDialog'
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp'
import { HomeScreen } from '../screens/home/HomeScreen'
import { ProfileScreen } from '../screens/profile/ProfileScreen'
import { RecordingsScreen } from '../screens/recordings/RecordingsScreen'
import { SignInScreen } from '../screens/sign-in/SignInScreen'
import { useCoreQuery } from './use-core'

type Screen = 'home' | 'profile' | 'recordings'
const NAV: Array<{ id: Screen; label: string }> = [
  { id: 'home', label: 'Home' },
  { id: 'recordings', label: 'Recordings' }
]

/** The app shell: a top bar with who and what we are, and the current screen. */
export function App() {
  const info = useCoreQuery('app.info', {})
  const { identity, accept } = useIdentity()
  const [screen, setScreen] = useState<Screen>('home')
  const me = identity.state === 'ready' && identity.value.signedIn ? identity.value : null

  const signedOut = (view: IdentityView) => {
    accept(view)
    setScreen('home')
  }

  const pending = usePendingInvite()
  const hostKind = info.state === 'ready' ? info.value.hostKind : null
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            DY
          </span>
          <span className="brand-name">Digital You Meet</span>
        </div>
        {me && (
          <nav className="nav" aria-label="Screens">
            {NAV.map((s) => (
              <button key={s.id} type="button" className="nav-item" aria-current={screen === s.id ? 'page' : undefined} onClick={() => setScreen(s.id)}>
                {s.label}
              </button>
            ))}
          </nav>
        )}
        {me && <IdentityButton person={me.person} onOpen={() => setScreen('profile')} />}
      </header>
      <main className="content">
        {identity.state === 'loading' && <p className="muted">Loading…</p>}
        {identity.state === 'failed' && (
          <p role="alert" className="error">
            Cannot tell who is signed in: {identity.error.message}
          </p>
        )}
        {identity.state === 'ready' && !me && <SignInScreen hostKind={info.state === 'ready' ? info.value.hostKind : null} onSignedIn={accept} />}
        {me && screen === 'profile' && <ProfileScreen identity={me} onBack={() => setScreen('home')} onSignedOut={signedOut} />}
        {pending.refused && (
          <div className="banner error" role="alert" data-testid="link-refused">
            That link cannot be opened: {pending.refused}.
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={pending.clear}>
              ×
            </button>
          </div>
        )}
        {me && screen === 'home' && (pending.invite ? <PendingInvitePanel invite={pending.invite} onDismiss={pending.clear} /> : <HomeScreen />)}
        {me && screen === 'recordings' && <RecordingsScreen selfName={me.person.displayName} />}
      </main>
      <footer className="statusbar" aria-label="App information">
        {info.state === 'ready' && (
          <>
            <span data-testid="app-version">v{info.value.version}</span>
            <span className="sep" aria-hidden="true">·</span>
            <span>{info.value.hostKind === 'electron' ? 'Desktop app' : 'Headless host'}</span>
            <span className="sep" aria-hidden="true">·</span>
            <span>
              Data: <code data-testid="app-data-dir">{info.value.dataDir}</code>
            </span>
          </>
        )}
        {info.state === 'loading' && <span>Connecting to the app core…</span>}
        {info.state === 'failed' && (
          <span role="alert" className="error">
            Cannot reach the app core: {info.error.message}
          </span>
        )}
      </footer>
      {/* Desktop integration: dialogs opened by the shell (screen picker) or the Help menu. */}
      <ScreenPickerDialog />
      <ShortcutsHelp hostKind={hostKind} />
    </div>
  )
}
