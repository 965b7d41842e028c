import { useEffect, useId, useState, useSyncExternalStore } from 'react'
import { describeJoinError, MeetingJoin, type JoinIntent } from '../../features/call/meeting-join'
import { CameraIcon, CameraOffIcon, ChevronLeftIcon, MicIcon, MicOffIcon } from '../../features/icons/icons'
import { DevicePicker } from '../../features/media/DevicePicker'
import { useDevices } from '../../features/media/devices'
import { LevelBar } from '../../features/media/LevelBar'
import { BackgroundPicker } from '../../features/media/BackgroundPicker'
import { NoiseSwitch } from '../../features/media/NoiseSwitch'
import { useAudioLevel } from '../../features/media/level-meter'
import { VideoView } from '../../features/media/VideoView'
import type { Navigate } from '../../features/navigation/navigate'
import { ReachabilityNote } from '../../features/network/ReachabilityNote'
import { prejoinHeading } from './prejoin-heading'
import './prejoin.css'

const RULES_TEXT = {
  open: 'Anyone with the invite can join',
  ask: 'You let each person in',
  listed: 'Only the 3Bot names you listed can join'
}

/** Pre-join: check camera and microphone, pick devices, then start or join the meeting. */
export function PreJoinScreen({ intent, go }: { intent: JoinIntent; go: (action: Navigate) => void }) {
  const [joining] = useState(() => new MeetingJoin(intent, window.dym, localStorage))
  const media = joining.media
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const devices = useDevices(snap.mic?.id ?? snap.camera?.id ?? 0)
  const level = useAudioLevel(snap.mic, !snap.micMuted)
  const [phase, setPhase] = useState<'idle' | 'joining'>('idle')
  const [error, setError] = useState<string | null>(null)
  const errorId = useId()

  useEffect(() => joining.prepare(), [joining])

  const join = async () => {
    setPhase('joining')
    setError(null)
    try {
      go({ to: 'meeting', meeting: await joining.join() })
    } catch (err) {
      setError(describeJoinError(err))
      setPhase('idle')
    }
  }

  const heading = prejoinHeading(intent)
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
        <ReachabilityNote testId="prejoin-reachability" />

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
          <NoiseSwitch media={media} testId="prejoin-noise-suppression" />
          <BackgroundPicker media={media} testId="prejoin-background" />
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
