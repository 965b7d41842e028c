import { useEffect, useRef } from 'react'

export type ShortcutAction = 'mic' | 'camera' | 'screen' | 'chat' | 'people' | 'hand' | 'layout' | 'help' | 'close'

/** The meeting's keyboard shortcuts, as the help sheet lists them. */
export const SHORTCUTS: Array<{ keys: string[]; action: ShortcutAction; label: string }> = [
  { keys: ['M'], action: 'mic', label: 'Mute or unmute your microphone' },
  { keys: ['V'], action: 'camera', label: 'Turn your camera on or off' },
  { keys: ['S'], action: 'screen', label: 'Share your screen, or stop' },
  { keys: ['C'], action: 'chat', label: 'Open or close the chat' },
  { keys: ['P'], action: 'people', label: 'Open or close the participants list' },
  { keys: ['H'], action: 'hand', label: 'Raise or lower your hand' },
  { keys: ['L'], action: 'layout', label: 'Switch between grid and speaker view' },
  { keys: ['?'], action: 'help', label: 'Show these shortcuts' },
  { keys: ['Esc'], action: 'close', label: 'Close a panel or dialog' }
]

const BY_KEY: Record<string, ShortcutAction> = {
  m: 'mic',
  v: 'camera',
  s: 'screen',
  c: 'chat',
  p: 'people',
  h: 'hand',
  l: 'layout',
  '?': 'help',
  Escape: 'close'
}

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
}

/** Single-key shortcuts, ignored while typing (Esc always works) and with modifier keys held. */
export function useShortcuts(run: (action: ShortcutAction) => void): void {
  const latest = useRef(run)
  useEffect(() => {
    latest.current = run
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return
      const action = BY_KEY[e.key] ?? BY_KEY[e.key.toLowerCase()]
      if (!action) return
      if (action !== 'close' && typingInto(e.target)) return
      e.preventDefault()
      latest.current(action)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
