import { useEffect, useRef, useSyncExternalStore } from 'react'
import { CloseIcon } from '../../app/icons'
import { useDevices } from '../../features/media/devices'
import { useAudioLevel } from '../../features/media/level-meter'
import { LevelBar } from '../../features/media/LevelBar'
import type { LocalMedia } from '../../features/media/local-media'
import { DevicePicker } from '../prejoin/DevicePicker'

/** Switch camera, microphone or speaker mid-meeting; the others get the new device without a pause. */
export function DevicesDialog({ media, onClose }: { media: LocalMedia; onClose: () => void }) {
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const devices = useDevices(snap.mic?.id ?? 0)
  const level = useAudioLevel(snap.mic, !snap.micMuted)
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    closeRef.current?.focus()
    return () => previous?.focus()
  }, [])
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="devices-title"
        data-testid="devices-dialog"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            onClose()
          }
        }}
      >
        <div className="dialog-head">
          <h2 id="devices-title">Camera, microphone and speaker</h2>
          <button ref={closeRef} type="button" className="icon-btn" aria-label="Close device settings" onClick={onClose}>
            <CloseIcon size={18} />
          </button>
        </div>
        <div className="devices-grid">
          <DevicePicker label="Camera" value={snap.devices.cameraId} options={devices.cameras} onChange={(id) => void media.useCamera(id)} testId="meeting-camera-select" />
          <DevicePicker label="Microphone" value={snap.devices.micId} options={devices.mics} onChange={(id) => void media.useMic(id)} testId="meeting-mic-select" />
          <LevelBar level={level} label="Microphone level" testId="meeting-mic-meter" />
          <DevicePicker label="Speaker" value={snap.devices.speakerId} options={devices.speakers} onChange={(id) => media.useSpeaker(id)} testId="meeting-speaker-select" emptyText="System default" />
        </div>
      </div>
    </div>
  )
}
