import { useEffect, useState, type FormEvent } from 'react'
import { toDymError } from '../../../shared/contract/index'
import { ChevronLeftIcon } from '../../features/icons/icons'
import type { Navigate } from '../../features/navigation/navigate'
import { useDevices } from '../../features/media/devices'
import { DevicePicker } from '../../features/media/DevicePicker'
import { ReachabilityNote } from '../../features/network/ReachabilityNote'
import { IceServersEditor, MediaRoutePicker } from './StunTurnFields'
import { toForm, validateSettings, type SettingsErrors, type SettingsForm } from './settings-model'
import { Section, TextField } from './SettingsFields'
import './settings.css'

type Status = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; message: string }

/** Settings: devices, video quality, recordings folder, identity directory, libp2p and STUN/TURN. */
export function SettingsScreen({ go }: { go: (action: Navigate) => void }) {
  const [form, setForm] = useState<SettingsForm | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'loading' })
  const [errors, setErrors] = useState<SettingsErrors>({})
  const [saved, setSaved] = useState<'idle' | 'saving' | 'saved' | 'invalid'>('idle')
  const devices = useDevices()
  // The real default folder, so that the empty field shows where recordings will go.
  const [defaultFolder, setDefaultFolder] = useState('')

  useEffect(() => {
    let live = true
    window.dym.invoke('recording.info', {}).then(
      (info) => live && setDefaultFolder(info.defaultFolder ?? ''),
      () => undefined
    )
    window.dym.invoke('settings.get', {}).then(
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
      setForm(toForm(await window.dym.invoke('settings.update', result.value)))
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
              placeholder={defaultFolder}
              testId="settings-recordings-dir"
            />
          </Section>

          <Section title="Files" sub="Where files people send you in a meeting's chat are saved. Leave empty for your Downloads folder.">
            <TextField
              label="Downloads folder"
              value={form.downloadsDir}
              onChange={(downloadsDir) => patch({ downloadsDir })}
              error={errors.downloadsDir}
              placeholder="Downloads"
              testId="settings-downloads-dir"
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
              <ReachabilityNote testId="settings-reachability" />
            </div>
          </Section>

          <Section
            title="STUN and TURN servers"
            sub="Help calls get through firewalls. Not needed on the same network. A TURN server relays media when nothing else works."
          >
            <IceServersEditor form={form} errors={errors} onChange={(iceServers) => patch({ iceServers })} />
            <MediaRoutePicker
              policy={form.iceTransportPolicy}
              error={errors.iceTransportPolicy}
              onChange={(iceTransportPolicy) => patch({ iceTransportPolicy })}
            />
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
