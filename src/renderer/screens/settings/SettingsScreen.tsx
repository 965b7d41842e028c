import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { toDymError } from '../../../shared/contract/index'
import { ChevronLeftIcon, PlusIcon } from '../../app/icons'
import type { Navigate } from '../../app/router'
import { useDevices } from '../../features/media/devices'
import { DevicePicker } from '../prejoin/DevicePicker'
import { loadSettings, saveSettings } from './settings-adapter'
import { toForm, validateSettings, type SettingsErrors, type SettingsForm } from './settings-model'
import './settings.css'

type Status = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string }

/** Settings: devices, video quality, recordings folder, identity directory, libp2p and STUN/TURN. */
export function SettingsScreen({ go }: { go: (action: Navigate) => void }) {
  const [form, setForm] = useState<SettingsForm | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'loading' })
  const [errors, setErrors] = useState<SettingsErrors>({})
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | 'invalid'>('idle')
  const devices = useDevices()

  useEffect(() => {
    let live = true
    loadSettings().then(
      (r) => {
        if (!live) return
        setForm(toForm(r))
        setStatus({ kind: 'ready' })
      },
      (err: unknown) => live && setStatus({ kind: 'failed', message: toDymError(err).message })
    )
    return () => {
      live = false
    }
  }, [])

  const patch = (p: Partial<SettingsForm>) => {
    setForm((f) => (f ? { ...f, ...p } : f))
    setSaved('idle')
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!form) return
    const result = validateSettings(form)
    if (!result.ok) {
      setErrors(result.errors)
      setSaved('invalid')
      // Take the keyboard to the first field that needs fixing.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.settings [aria-invalid="true"]')?.focus())
      return
    }
    setErrors({})
    setSaved('saving')
    try {
      setForm(toForm(await saveSettings(result.value)))
      setSaved('saved')
    } catch (err) {
      setStatus({ kind: 'failed', message: toDymError(err).message })
      setSaved('idle')
    }
  }

  return (
    <div className="settings">
      <div className="settings-head">
        <button type="button" className="btn btn--ghost btn--small" onClick={() => go({ to: 'back' })} data-testid="settings-back">
          <ChevronLeftIcon size={16} /> Back
        </button>
        <h1>Settings</h1>
      </div>
      {status.kind === 'loading' && <p className="card-sub">Loading settings…</p>}
      {status.kind === 'failed' && (
        <p className="alert alert--danger" role="alert">
          Settings could not be loaded or saved: {status.message}
        </p>
      )}
      {form && (
        <form onSubmit={(e) => void submit(e)} noValidate aria-label="Settings">
          <Section title="Devices" sub="Used when you join a meeting; you can change them in a meeting too.">
            <div className="settings-grid">
              <DevicePicker
                label="Camera"
                value={form.devices.cameraId}
                options={devices.cameras}
                onChange={(cameraId) => patch({ devices: { ...form.devices, cameraId } })}
                testId="settings-camera"
              />
              <DevicePicker
                label="Microphone"
                value={form.devices.micId}
                options={devices.mics}
                onChange={(micId) => patch({ devices: { ...form.devices, micId } })}
                testId="settings-mic"
              />
              <DevicePicker
                label="Speaker"
                value={form.devices.speakerId}
                options={devices.speakers}
                onChange={(speakerId) => patch({ devices: { ...form.devices, speakerId } })}
                testId="settings-speaker"
                emptyText="System default"
              />
            </div>
          </Section>

          <Section
            title="Video quality"
            sub="Higher quality needs more upload bandwidth; in bigger meetings each person's share shrinks automatically."
          >
            <div className="segmented" role="radiogroup" aria-label="Video quality">
              {(['low', 'medium', 'high'] as const).map((q) => (
                <label key={q}>
                  <input
                    type="radio"
                    name="videoQuality"
                    value={q}
                    checked={form.videoQuality === q}
                    onChange={() => patch({ videoQuality: q })}
                    data-testid={`settings-quality-${q}`}
                  />
                  <span>{q === 'low' ? 'Data saver' : q === 'medium' ? 'Standard' : 'High (720p)'}</span>
                </label>
              ))}
            </div>
          </Section>

          <Section title="Recordings" sub="Where recordings are written. Leave empty for the default folder.">
            <TextField
              label="Recordings folder"
              value={form.recordingsDir}
              onChange={(recordingsDir) => patch({ recordingsDir })}
              error={errors.recordingsDir}
              placeholder="/home/you/Videos/Meetings"
              testId="settings-recordings-dir"
            />
          </Section>

          <Section title="Identity" sub="The ThreeFold services used to sign in and to check people's 3Bot names.">
            <div className="settings-grid settings-grid--2">
              <TextField
                label="ThreeFold directory URL"
                value={form.directoryUrl}
                onChange={(directoryUrl) => patch({ directoryUrl })}
                error={errors.directoryUrl}
                testId="settings-directory-url"
              />
              <TextField
                label="Login URL"
                value={form.loginUrl}
                onChange={(loginUrl) => patch({ loginUrl })}
                error={errors.loginUrl}
                testId="settings-login-url"
              />
              <TextField
                label="App id"
                value={form.appId}
                onChange={(appId) => patch({ appId })}
                error={errors.appId}
                testId="settings-app-id"
              />
            </div>
          </Section>

          <Section
            title="Peer-to-peer network"
            sub="Extra libp2p nodes to find people through. One address per line; empty is fine on a LAN."
          >
            <div className="settings-grid settings-grid--2">
              <TextField
                label="Bootstrap addresses"
                multiline
                value={form.bootstrap}
                onChange={(bootstrap) => patch({ bootstrap })}
                error={errors.bootstrap}
                placeholder="/dns4/boot.example.org/tcp/4001/p2p/12D3Koo…"
                testId="settings-bootstrap"
              />
              <TextField
                label="Relay addresses"
                multiline
                value={form.relays}
                onChange={(relays) => patch({ relays })}
                error={errors.relays}
                placeholder="/dns4/relay.example.org/tcp/4001/p2p/12D3Koo…"
                testId="settings-relays"
              />
            </div>
          </Section>

          <Section
            title="STUN and TURN servers"
            sub="Help calls get through firewalls. Not needed on the same network. A TURN server relays media when nothing else works."
          >
            <IceServersEditor form={form} errors={errors} onChange={(iceServers) => patch({ iceServers })} />
            <div className="field settings-policy">
              <span className="field-label" id="policy-label">
                Media route
              </span>
              <div
                className="segmented"
                role="radiogroup"
                aria-labelledby="policy-label"
                aria-describedby={errors.iceTransportPolicy ? 'policy-error' : undefined}
              >
                <label>
                  <input
                    type="radio"
                    name="iceTransportPolicy"
                    value="all"
                    checked={form.iceTransportPolicy === 'all'}
                    onChange={() => patch({ iceTransportPolicy: 'all' })}
                    data-testid="settings-policy-all"
                  />
                  <span>Direct when possible</span>
                </label>
                <label>
                  <input
                    type="radio"
                    name="iceTransportPolicy"
                    value="relay"
                    checked={form.iceTransportPolicy === 'relay'}
                    onChange={() => patch({ iceTransportPolicy: 'relay' })}
                    aria-invalid={errors.iceTransportPolicy ? true : undefined}
                    data-testid="settings-policy-relay"
                  />
                  <span>Always through TURN</span>
                </label>
              </div>
              {errors.iceTransportPolicy && (
                <span id="policy-error" className="field-error" role="alert">
                  {errors.iceTransportPolicy}
                </span>
              )}
            </div>
          </Section>

          <div className="settings-save">
            <span className="settings-save-status" role="status" data-testid="settings-status">
              {saved === 'saved'
                ? 'Saved. New meetings use these settings; a running call applies STUN/TURN at once.'
                : saved === 'invalid'
                  ? 'Some fields need fixing.'
                  : ''}
            </span>
            <button type="submit" className="btn btn--primary" disabled={saved === 'saving'} data-testid="settings-save">
              {saved === 'saving' ? 'Saving…' : 'Save settings'}
            </button>
          </div>
        </form>
      )}
    </div>
  )
}

function Section({ title, sub, children }: { title: string; sub: string; children: ReactNode }) {
  const id = useId()
  return (
    <section className="card settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="card-sub">{sub}</p>
      {children}
    </section>
  )
}

function TextField(props: {
  label: string
  value: string
  onChange: (v: string) => void
  error?: string
  placeholder?: string
  multiline?: boolean
  testId?: string
  type?: string
  autoComplete?: string
}) {
  const id = useId()
  const common = {
    id,
    value: props.value,
    placeholder: props.placeholder,
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': props.error ? `${id}-error` : undefined,
    'data-testid': props.testId,
    spellCheck: false
  }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} className="textarea" rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input
          {...common}
          className="input"
          type={props.type ?? 'text'}
          autoComplete={props.autoComplete}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      {props.error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  )
}

function IceServersEditor({
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
