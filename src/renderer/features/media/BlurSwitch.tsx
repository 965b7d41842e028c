import { useSyncExternalStore } from 'react'
import type { LocalMedia } from './local-media'

/**
 * The background-blur switch, the same in pre-join and in the meeting: it applies at once (the
 * others see the change without a renegotiation) and is remembered in the settings. When the
 * computer cannot keep up, the blur turns itself off and the line under the switch says so.
 */
export function BlurSwitch({ media, testId }: { media: LocalMedia; testId: string }) {
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const toggle = (on: boolean) => {
    void media.setBackgroundBlur(on)
    void window.dym.invoke('settings.update', { backgroundBlur: on }).catch(() => undefined)
  }
  return (
    <>
      <label className="switch-row">
        <span>Blur my background</span>
        <span className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={snap.backgroundBlur}
            onChange={(e) => toggle(e.target.checked)}
            data-testid={testId}
            data-active={snap.blurActive ? 'true' : 'false'}
          />
          <span className="track" aria-hidden="true" />
        </span>
      </label>
      {snap.blurError && (
        <p className="field-error" role="status" data-testid={`${testId}-error`}>
          {snap.blurError}
        </p>
      )}
    </>
  )
}
