import { useEffect, useId, useRef, useState, useSyncExternalStore } from 'react'
import { toDymError, type RoomView } from '../../../shared/contract/index'
import { CameraIcon, CameraOffIcon, ChevronLeftIcon, MicIcon, MicOffIcon } from '../../app/icons'
import type { JoinIntent, Navigate } from '../../app/router'
import { useCoreEvent } from '../../app/use-core'
import { useDevices } from '../../features/media/devices'
import { useAudioLevel } from '../../features/media/level-meter'
import { LocalMedia } from '../../features/media/local-media'
import { armSignalInbox } from '../../features/call/dym-signal-transport'
import { LevelBar } from '../../features/media/LevelBar'
import { VideoView } from '../../features/media/VideoView'
import { rememberMeeting } from '../../features/recent/recent-meetings'
import { currentSettings, saveSettings } from '../settings/settings-adapter'
import { DevicePicker } from './DevicePicker'
import './prejoin.css'

const RULES_TEXT = {
  open: 'Anyone with the invite can join',
  ask: 'You let each person in',
  listed: 'Only the 3Bot names you listed can join'
}

/** Why joining failed, in words for the user. */
export function describeJoinError(err: unknown): string {
  const e = toDymError(err)
  if (e.code === 'unavailable') return `Meetings cannot start right now: ${e.message}.`
  if (e.code === 'not-found') return 'That meeting could not be found. Check the invite and try again.'
  if (e.code === 'bad-request') return 'That does not look like a valid invite.'
  return e.message
}

/** Pre-join: check camera and microphone, pick devices, then start or join the meeting. */
export function PreJoinScreen({ intent, go }: { intent: JoinIntent; go: (action: Navigate) => void }) {
  const [media] = useState(() => new LocalMedia({}))
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const devices = useDevices(snap.mic?.id ?? snap.camera?.id ?? 0)
  const level = useAudioLevel(snap.mic, !snap.micMuted)
  const [phase, setPhase] = useState<'idle' | 'joining'>('idle')
  const [error, setError] = useState<string | null>(null)
  const handedOff = useRef(false)
  const errorId = useId()

  useEffect(() => {
    let live = true
    void currentSettings()
      .catch(() => null)
      .then((settings) => {
        if (!live) return
        if (settings) media.configure(settings.devices, settings.videoQuality)
        return media.start({ micMuted: false, cameraOn: true })
      })
    return () => {
      live = false
      // Handed to the meeting screen: it owns the devices now.
      if (!handedOff.current) media.close()
    }
  }, [media])

  // Connect to the meeting while the user checks their camera: Join then only has the room's
  // handshake left. Nobody in the meeting sees us before Join.
  const invite = intent.kind === 'join' ? intent.invite : null
  useEffect(() => {
    if (invite) window.dym.invoke('room.preconnect', { invite }).catch(() => undefined)
  }, [invite])

  useCoreEvent('room.refused', (event) => {
    setError(event.reason)
    setPhase('idle')
  })

  const join = async () => {
    setPhase('joining')
    setError(null)
    // Members offer as soon as they see us: keep their signals until our call engine starts.
    armSignalInbox(window.dym)
    try {
      const room: RoomView =
        intent.kind === 'create'
          ? await window.dym.invoke('room.create', { title: intent.title, rules: intent.rules })
          : await window.dym.invoke('room.join', { invite: intent.invite })
      rememberMeeting(localStorage, { roomId: room.roomId, title: room.title, invite: room.invite, lastJoinedAt: Date.now() })
      void currentSettings()
        .then((s) => saveSettings({ ...s, devices: { ...s.devices, ...snap.devices } }))
        .catch(() => undefined)
      handedOff.current = true
      go({ to: 'meeting', room, media, intent })
    } catch (err) {
      setError(describeJoinError(err))
      setPhase('idle')
    }
  }

  const heading = intent.kind === 'create' ? intent.title || 'New meeting' : intent.title || 'Join the meeting'
  const sub = intent.kind === 'create' ? RULES_TEXT[intent.rules.mode] : 'Joining from an invite'

  return (
    <div className="prejoin" data-testid="prejoin-screen" data-invite={intent.kind === 'join' ? intent.invite : undefined}>
      <section className="prejoin-preview" aria-label="Your camera and microphone">
        <div className="preview-frame">
          {snap.preview && snap.cameraOn ? (
            <VideoView stream={snap.preview} mirrored className="preview-video" testId="prejoin-preview" label="Your camera preview" />
          ) : (
            <div className="preview-off">
              <CameraOffIcon size={32} />
              <span>{snap.cameraError ?? 'Your camera is off'}</span>
            </div>
          )}
          <div className="preview-controls">
            <button
              type="button"
              className={snap.micMuted ? 'round-btn round-btn--off' : 'round-btn'}
              aria-pressed={snap.micMuted}
              aria-label={snap.micMuted ? 'Unmute microphone' : 'Mute microphone'}
              onClick={() => media.setMicMuted(!snap.micMuted)}
              data-testid="prejoin-mic"
            >
              {snap.micMuted ? <MicOffIcon /> : <MicIcon />}
            </button>
            <button
              type="button"
              className={snap.cameraOn ? 'round-btn' : 'round-btn round-btn--off'}
              aria-pressed={!snap.cameraOn}
              aria-label={snap.cameraOn ? 'Turn camera off' : 'Turn camera on'}
              onClick={() => void media.setCameraOn(!snap.cameraOn)}
              data-testid="prejoin-camera"
            >
              {snap.cameraOn ? <CameraIcon /> : <CameraOffIcon />}
            </button>
          </div>
        </div>
        <div className="preview-meter">
          <MicIcon size={16} />
          <LevelBar level={level} label="Microphone level" testId="mic-meter" />
          <span className="preview-meter-text">
            {snap.micError ?? (snap.micMuted ? 'Muted' : level > 0.15 ? 'We can hear you' : 'Say something to test')}
          </span>
        </div>
      </section>

      <section className="prejoin-side card" aria-labelledby="prejoin-title">
        <p className="prejoin-kicker">{intent.kind === 'create' ? 'Ready to start?' : 'Ready to join?'}</p>
        <h1 id="prejoin-title" className="prejoin-title">
          {heading}
        </h1>
        <p className="card-sub">{sub}</p>

        <div className="prejoin-devices">
          <DevicePicker
            label="Camera"
            value={snap.devices.cameraId}
            options={devices.cameras}
            onChange={(id) => void media.useCamera(id)}
            testId="prejoin-camera-select"
          />
          <DevicePicker
            label="Microphone"
            value={snap.devices.micId}
            options={devices.mics}
            onChange={(id) => void media.useMic(id)}
            testId="prejoin-mic-select"
          />
          <DevicePicker
            label="Speaker"
            value={snap.devices.speakerId}
            options={devices.speakers}
            onChange={(id) => media.useSpeaker(id)}
            testId="prejoin-speaker-select"
            emptyText="System default"
          />
        </div>

        <div className="prejoin-switches">
          <label className="switch-row">
            <span>Join with microphone muted</span>
            <span className="switch">
              <input
                type="checkbox"
                role="switch"
                checked={snap.micMuted}
                onChange={(e) => media.setMicMuted(e.target.checked)}
                data-testid="prejoin-join-muted"
              />
              <span className="track" aria-hidden="true" />
            </span>
          </label>
          <label className="switch-row">
            <span>Join with camera off</span>
            <span className="switch">
              <input
                type="checkbox"
                role="switch"
                checked={!snap.cameraOn}
                onChange={(e) => void media.setCameraOn(!e.target.checked)}
                data-testid="prejoin-camera-off"
              />
              <span className="track" aria-hidden="true" />
            </span>
          </label>
        </div>

        {error && (
          <div className="alert alert--danger" role="alert" id={errorId} data-testid="prejoin-error">
            {error}
          </div>
        )}

        <div className="prejoin-actions">
          <button
            type="button"
            className="btn btn--primary btn--large btn--block"
            onClick={() => void join()}
            disabled={phase === 'joining'}
            aria-describedby={error ? errorId : undefined}
            data-testid="join-button"
          >
            {phase === 'joining'
              ? intent.kind === 'join'
                ? 'Asking to join…'
                : 'Starting…'
              : intent.kind === 'create'
                ? 'Start meeting'
                : 'Join now'}
          </button>
          <button type="button" className="btn btn--ghost btn--block" onClick={() => go({ to: 'home' })} data-testid="prejoin-back">
            <ChevronLeftIcon size={16} /> Back
          </button>
        </div>
      </section>
    </div>
  )
}
