import { useSyncExternalStore } from 'react'
import { ModalDialog } from '../../features/dialog/ModalDialog'
import { useDevices } from '../../features/media/devices'
import { useAudioLevel } from '../../features/media/level-meter'
import { LevelBar } from '../../features/media/LevelBar'
import type { LocalMedia } from '../../features/media/local-media'
import { DevicePicker } from '../../features/media/DevicePicker'
import { BackgroundPicker } from '../../features/media/BackgroundPicker'
import { NoiseSwitch } from '../../features/media/NoiseSwitch'

/** Switch camera, microphone or speaker mid-meeting; the others get the new device without a pause. */
export function DevicesDialog({ media, onClose }: { media: LocalMedia; onClose: () => void }) {
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const devices = useDevices(snap.mic?.id ?? 0)
  const level = useAudioLevel(snap.mic, !snap.micMuted)
  return (
    <ModalDialog open title="Camera, microphone and speaker" onCancel={onClose} testId="devices-dialog">
      <div className="devices-grid">
        <DevicePicker
          label="Camera"
          value={snap.devices.cameraId}
          options={devices.cameras}
          onChange={(id) => void media.useCamera(id)}
          testId="meeting-camera-select"
        />
        <BackgroundPicker media={media} testId="meeting-background" />
        <DevicePicker
          label="Microphone"
          value={snap.devices.micId}
          options={devices.mics}
          onChange={(id) => void media.useMic(id)}
          testId="meeting-mic-select"
        />
        <LevelBar level={level} label="Microphone level" testId="meeting-mic-meter" />
        <NoiseSwitch media={media} testId="meeting-noise-suppression" />
        <DevicePicker
          label="Speaker"
          value={snap.devices.speakerId}
          options={devices.speakers}
          onChange={(id) => media.useSpeaker(id)}
          testId="meeting-speaker-select"
          emptyText="System default"
        />
      </div>
    </ModalDialog>
  )
}
