import { useId, useSyncExternalStore } from 'react'
import { Background, type Background as BackgroundChoice } from '../../../shared/contract/index'
import type { LocalMedia } from './local-media'

const LABELS: Record<BackgroundChoice, string> = {
  none: 'As it is',
  blur: 'Blurred',
  dusk: 'Picture: dusk',
  studio: 'Picture: studio backdrop',
  sea: 'Picture: sea'
}

/**
 * What is behind the person, the same in pre-join and in the meeting: it applies at once (the
 * others see the change without a renegotiation) and is remembered in the settings. When the
 * computer cannot keep up, the effect turns itself off and the line under the picker says so.
 */
export function BackgroundPicker({ media, testId }: { media: LocalMedia; testId: string }) {
  const id = useId()
  const snap = useSyncExternalStore(media.subscribe, media.getSnapshot)
  const choose = (value: string) => {
    const background = Background.safeParse(value)
    if (!background.success) return
    void media.setBackground(background.data)
    void window.dym.invoke('settings.update', { background: background.data }).catch(() => undefined)
  }
  return (
    <div className="field">
      <label htmlFor={id}>Background</label>
      <select
        id={id}
        className="select"
        value={snap.background}
        onChange={(e) => choose(e.target.value)}
        data-testid={testId}
        data-active={snap.backgroundActive ? 'true' : 'false'}
      >
        {Background.options.map((b) => (
          <option key={b} value={b}>
            {LABELS[b]}
          </option>
        ))}
      </select>
      {snap.backgroundError && (
        <p className="field-error" role="status" data-testid={`${testId}-error`}>
          {snap.backgroundError}
        </p>
      )}
    </div>
  )
}
