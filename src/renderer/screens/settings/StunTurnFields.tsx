import { PlusIcon } from '../../features/icons/icons'
import type { SettingsErrors, SettingsForm } from './settings-model'
import { TextField } from './SettingsFields'

/** The STUN/TURN server list: address, username and password per server, at most 20. */
export function IceServersEditor({
  form,
  errors,
  onChange
}: {
  form: SettingsForm
  errors: SettingsErrors
  onChange: (list: SettingsForm['iceServers']) => void
}) {
  const list = form.iceServers
  const set = (i: number, p: Partial<SettingsForm['iceServers'][number]>) => onChange(list.map((s, j) => (j === i ? { ...s, ...p } : s)))
  return (
    <div className="ice-list">
      {list.length === 0 && <p className="field-hint">No servers: calls connect directly (fine on the same network).</p>}
      {list.map((server, i) => (
        <fieldset key={i} className="ice-row" data-testid="settings-ice-server">
          <legend className="visually-hidden">Server {i + 1}</legend>
          <TextField
            label={`Server ${i + 1} address`}
            value={server.urls}
            onChange={(urls) => set(i, { urls })}
            error={errors[`iceServers.${i}.urls`]}
            placeholder="turn:turn.example.org:3478"
            testId="settings-ice-urls"
          />
          <TextField
            label="Username"
            value={server.username}
            onChange={(username) => set(i, { username })}
            autoComplete="off"
            testId="settings-ice-username"
          />
          <TextField
            label="Password"
            type="password"
            value={server.credential}
            onChange={(credential) => set(i, { credential })}
            error={errors[`iceServers.${i}.credential`]}
            autoComplete="new-password"
            testId="settings-ice-credential"
          />
          <button
            type="button"
            className="btn btn--ghost btn--small ice-remove"
            onClick={() => onChange(list.filter((_, j) => j !== i))}
            aria-label={`Remove server ${i + 1}`}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="btn btn--small"
        onClick={() => onChange([...list, { urls: '', username: '', credential: '' }])}
        disabled={list.length >= 20}
        data-testid="settings-ice-add"
      >
        <PlusIcon size={14} /> Add a server
      </button>
    </div>
  )
}

/** Whether media may go directly between peers, or only ever through a TURN server. */
export function MediaRoutePicker({
  policy,
  error,
  onChange
}: {
  policy: SettingsForm['iceTransportPolicy']
  error?: string
  onChange: (policy: SettingsForm['iceTransportPolicy']) => void
}) {
  return (
    <div className="field settings-policy">
      <span className="field-label" id="policy-label">
        Media route
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="policy-label" aria-describedby={error ? 'policy-error' : undefined}>
        <label>
          <input
            type="radio"
            name="iceTransportPolicy"
            value="all"
            checked={policy === 'all'}
            onChange={() => onChange('all')}
            data-testid="settings-policy-all"
          />
          <span>Direct when possible</span>
        </label>
        <label>
          <input
            type="radio"
            name="iceTransportPolicy"
            value="relay"
            checked={policy === 'relay'}
            onChange={() => onChange('relay')}
            aria-invalid={error ? true : undefined}
            data-testid="settings-policy-relay"
          />
          <span>Always through TURN</span>
        </label>
      </div>
      {error && (
        <span id="policy-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
