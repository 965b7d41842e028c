import { useState } from 'react'
import { HomeScreen } from '../screens/home/HomeScreen'
import { RecordingsScreen } from '../screens/recordings/RecordingsScreen'
import { useCoreQuery } from './use-core'

type Screen = 'home' | 'recordings'
const SCREENS: Array<{ id: Screen; label: string }> = [
  { id: 'home', label: 'Home' },
  { id: 'recordings', label: 'Recordings' }
]

/** The app shell: a top bar with who and what we are, and the current screen. */
export function App() {
  const info = useCoreQuery('app.info', {})
  const [screen, setScreen] = useState<Screen>('home')
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            DY
          </span>
          <span className="brand-name">Digital You Meet</span>
        </div>
        <nav className="nav" aria-label="Screens">
          {SCREENS.map((s) => (
            <button key={s.id} type="button" className="nav-item" aria-current={screen === s.id ? 'page' : undefined} onClick={() => setScreen(s.id)}>
              {s.label}
            </button>
          ))}
        </nav>
      </header>
      <main className="content">
        {screen === 'home' && <HomeScreen />}
        {screen === 'recordings' && <RecordingsScreen />}
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
    </div>
  )
}
