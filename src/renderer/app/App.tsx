import { useReducer } from 'react'
import { HomeScreen } from '../screens/home/HomeScreen'
import { LeftScreen } from '../screens/left/LeftScreen'
import { MeetingScreen } from '../screens/meeting/MeetingScreen'
import { PreJoinScreen } from '../screens/prejoin/PreJoinScreen'
import { RecordingsScreen } from '../screens/recordings/RecordingsScreen'
import { SettingsScreen } from '../screens/settings/SettingsScreen'
import { SettingsIcon } from './icons'
import { navigate, type Navigate, type Screen } from './router'
import { StatusBar } from './StatusBar'
import { ToastProvider } from './toasts'
import './ui.css'

/** The app shell: a top bar, the current screen, a status bar. The meeting takes the whole window. */
export function App() {
  const [screen, go] = useReducer(navigate, { name: 'home' })
  const immersive = screen.name === 'meeting'
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
            <nav className="topbar-nav" aria-label="App">
              <button type="button" className="btn btn--ghost btn--small" onClick={() => go({ to: 'settings' })} data-testid="nav-settings">
                <SettingsIcon size={16} /> Settings
              </button>
            </nav>
          </header>
        )}
        <main className={immersive ? 'content content--immersive' : 'content'}>
          <CurrentScreen screen={screen} go={go} />
        </main>
        {!immersive && <StatusBar />}
      </div>
    </ToastProvider>
  )
}

function CurrentScreen({ screen, go }: { screen: Screen; go: (action: Navigate) => void }) {
  switch (screen.name) {
    case 'home':
      return <HomeScreen go={go} />
    case 'prejoin':
      return <PreJoinScreen key={JSON.stringify(screen.intent)} intent={screen.intent} go={go} />
    case 'meeting':
      return <MeetingScreen key={screen.room.roomId} room={screen.room} media={screen.media} intent={screen.intent} go={go} />
    case 'left':
      return <LeftScreen title={screen.title} reason={screen.reason} intent={screen.intent} go={go} />
    case 'settings':
      return <SettingsScreen go={go} />
    case 'recordings':
      return <RecordingsScreen go={go} />
  }
}
