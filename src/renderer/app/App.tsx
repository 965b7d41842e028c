import { HomeScreen } from '../screens/home/HomeScreen'
import { useCoreQuery } from './use-core'

/** The app shell: a top bar with who and what we are, and the current screen. */
export function App() {
  const info = useCoreQuery('app.info', {})
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            DY
          </span>
          <span className="brand-name">Digital You Meet</span>
        </div>
      </header>
      <main className="content">
        <HomeScreen />
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
