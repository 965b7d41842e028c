import { useEffect, useReducer } from 'react'
import type { IdentityView } from '../../shared/contract/index'
import { usePendingInvite } from '../features/deep-link/use-pending-invite'
import { IdentityButton } from '../features/identity/IdentityButton'
import { useIdentity } from '../features/identity/use-identity'
import { ScreenPickerDialog } from '../features/screen-picker/ScreenPickerDialog'
import { AppShortcutsDialog } from '../features/shortcuts/AppShortcutsDialog'
import { HomeScreen } from '../screens/home/HomeScreen'
import { LeftScreen } from '../screens/left/LeftScreen'
import { MeetingScreen } from '../screens/meeting/MeetingScreen'
import { PreJoinScreen } from '../screens/prejoin/PreJoinScreen'
import { ProfileScreen } from '../screens/profile/ProfileScreen'
import { RecordingsScreen } from '../screens/recordings/RecordingsScreen'
import { SettingsScreen } from '../screens/settings/SettingsScreen'
import { SignInScreen } from '../screens/sign-in/SignInScreen'
import { FolderIcon, SettingsIcon } from '../features/icons/icons'
import type { Navigate } from '../features/navigation/navigate'
import { navigate, type Screen } from './router'
import { StatusBar } from './StatusBar'
import { ToastProvider } from '../features/toasts/toasts'
import { useCoreQuery } from '../features/core/use-core'
import './ui.css'

type SignedIn = Extract<IdentityView, { signedIn: true }>

/**
 * The app shell: sign-in until someone is signed in; then a top bar, the current screen and a
 * status bar. The meeting takes the whole window. Desktop dialogs (screen picker, shortcuts)
 * are always mounted.
 */
export function App() {
  const info = useCoreQuery('app.info', {})
  const { identity, accept } = useIdentity()
  const [screen, go] = useReducer(navigate, { name: 'home' })
  const pending = usePendingInvite()
  const me = identity.state === 'ready' && identity.value.signedIn ? identity.value : null
  const immersive = screen.name === 'meeting'
  const hostKind = info.state === 'ready' ? info.value.hostKind : null

  // An invite link (dym://join/...) opens the pre-join screen of that meeting once signed in.
  useEffect(() => {
    if (!me || !pending.invite || screen.name === 'meeting') return
    go({ to: 'prejoin', intent: { kind: 'join', invite: pending.invite } })
    pending.clear()
  }, [me, pending, screen.name])

  const signedOut = (view: IdentityView) => {
    accept(view)
    go({ to: 'home' })
  }

  return (
    <ToastProvider>
      <div className={immersive ? 'app app--immersive' : 'app'}>
        {!immersive && (
          <header className="topbar">
            <button type="button" className="brand" onClick={() => go({ to: 'home' })} title="Home">
              <span className="brand-mark" aria-hidden="true">
                DY
              </span>
              <span className="brand-name">Digital You Meet</span>
            </button>
            {me && (
              <nav className="topbar-nav" aria-label="App">
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => go({ to: 'recordings' })}
                  data-testid="nav-recordings"
                >
                  <FolderIcon size={16} /> Recordings
                </button>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  onClick={() => go({ to: 'settings' })}
                  data-testid="nav-settings"
                >
                  <SettingsIcon size={16} /> Settings
                </button>
                <IdentityButton person={me.person} onOpen={() => go({ to: 'profile' })} />
              </nav>
            )}
          </header>
        )}
        <main className={immersive ? 'content content--immersive' : 'content'}>
          {pending.refused && (
            <div className="banner error" role="alert" data-testid="link-refused">
              That link cannot be opened: {pending.refused}.
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={pending.clear}>
                ×
              </button>
            </div>
          )}
          {identity.state === 'loading' && <p className="muted">Loading…</p>}
          {identity.state === 'failed' && (
            <p role="alert" className="error">
              Cannot tell who is signed in: {identity.error.message}
            </p>
          )}
          {identity.state === 'ready' && !me && <SignInScreen hostKind={hostKind} onSignedIn={accept} />}
          {me && <CurrentScreen screen={screen} go={go} me={me} onSignedOut={signedOut} />}
        </main>
        {!immersive && <StatusBar />}
        <ScreenPickerDialog />
        <AppShortcutsDialog hostKind={hostKind} />
      </div>
    </ToastProvider>
  )
}

function CurrentScreen(props: { screen: Screen; go: (action: Navigate) => void; me: SignedIn; onSignedOut: (view: IdentityView) => void }) {
  const { screen, go, me } = props
  switch (screen.name) {
    case 'home':
      return <HomeScreen go={go} />
    case 'prejoin':
      return <PreJoinScreen key={JSON.stringify(screen.intent)} intent={screen.intent} go={go} />
    case 'meeting':
      return <MeetingScreen key={screen.meeting.room.roomId} meeting={screen.meeting} go={go} />
    case 'left':
      return <LeftScreen title={screen.title} reason={screen.reason} removed={screen.removed} intent={screen.intent} go={go} />
    case 'settings':
      return <SettingsScreen go={go} />
    case 'recordings':
      return <RecordingsScreen selfName={me.person.displayName} onBack={() => go({ to: 'back' })} />
    case 'profile':
      return <ProfileScreen identity={me} onBack={() => go({ to: 'back' })} onSignedOut={props.onSignedOut} />
  }
}
