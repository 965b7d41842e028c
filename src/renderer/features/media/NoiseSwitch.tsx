import { useSyncExternalStore } from 'react'
import type { LocalMedia } from './local-media'

/**
 * The noise-suppression switch, the same in pre-join and in the meeting: it applies at once
 * (the others hear the change without a renegotiation) and is remembered in the settings.
 */
export function NoiseSwitch({ media, testId }: { media: LocalMedia; testId: string }) {
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const toggle = (on: boolean) => {
    void media.setNoiseSuppression(on)
    void window.dym.invoke('settings.update', { noiseSuppression: on }).catch(() => undefined)
  }
  return (
    <>
      <label className="switch-row">
        <span>Suppress background noise</span>
        <span className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={snap.noiseSuppression}
            onChange={(e) => toggle(e.target.checked)}
            data-testid={testId}
            data-active={snap.noiseActive ? 'true' : 'false'}
          />
          <span className="track" aria-hidden="true" />
        </span>
      </label>
      {snap.noiseError && (
        <p className="field-error" role="status" data-testid={`${testId}-error`}>
          {snap.noiseError}
        </p>
      )}
    </>
  )
}
