import { useCoreQuery } from '../features/core/use-core'

/** Which host and data folder this window talks to; or why it cannot reach its core. */
export function StatusBar() {
  const info = useCoreQuery('app.info', {})
  return (
    <footer className="statusbar" aria-label="App information">
      {info.state === 'ready' && (
        <>
          <span data-testid="app-version">v{info.value.version}</span>
          <span className="sep" aria-hidden="true">
            ·
          </span>
          <span>{info.value.hostKind === 'electron' ? 'Desktop app' : 'Headless host'}</span>
          <span className="sep" aria-hidden="true">
            ·
          </span>
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
  )
}
