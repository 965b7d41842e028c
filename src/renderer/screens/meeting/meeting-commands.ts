import { useEffect, useRef } from 'react'
import type { ShortcutCommand } from '../../../shared/shortcuts'
import type { ShortcutSection } from '../../features/shortcuts/ShortcutsDialog'
import { useShortcutCommands } from '../../features/shortcuts/use-shortcut-commands'

/**
 * What the user can ask of the meeting. The app-wide commands keep the names the application
 * menu sends (src/shared/shortcuts.ts); the meeting adds its own. The control bar, the single
 * keys below and the menu all run these through the meeting's one command table.
 * `show-shortcuts` is not among them: the app's own sheet answers it everywhere.
 */
export type MeetingCommand =
  Exclude<ShortcutCommand, 'show-shortcuts'> | 'toggle-people' | 'toggle-layout' | 'open-devices' | 'show-meeting-shortcuts' | 'dismiss'

/** The meeting's single-key shortcuts, as its shortcuts sheet lists them. */
export const MEETING_KEYS: ReadonlyArray<{ keys: readonly [string]; command: MeetingCommand; label: string }> = [
  { keys: ['M'], command: 'toggle-mute', label: 'Mute or unmute your microphone' },
  { keys: ['V'], command: 'toggle-camera', label: 'Turn your camera on or off' },
  { keys: ['S'], command: 'share-screen', label: 'Share your screen, or stop' },
  { keys: ['C'], command: 'toggle-chat', label: 'Open or close the chat' },
  { keys: ['P'], command: 'toggle-people', label: 'Open or close the participants list' },
  { keys: ['H'], command: 'raise-hand', label: 'Raise or lower your hand' },
  { keys: ['L'], command: 'toggle-layout', label: 'Switch between grid and speaker view' },
  { keys: ['?'], command: 'show-meeting-shortcuts', label: 'Show these shortcuts' },
  { keys: ['Esc'], command: 'dismiss', label: 'Close a panel or dialog' }
]

export const MEETING_KEYS_SECTION: ShortcutSection = { title: 'In this meeting', rows: MEETING_KEYS }

/** The key that runs a command, for a button's tooltip and aria-keyshortcuts. */
export function keyFor(command: MeetingCommand): string | undefined {
  return MEETING_KEYS.find((s) => s.command === command)?.keys[0]
}

function commandFor(event: KeyboardEvent): MeetingCommand | undefined {
  const key = event.key === 'Escape' ? 'esc' : event.key.toLowerCase()
  return MEETING_KEYS.find((s) => s.keys[0].toLowerCase() === key)?.command
}

function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'
}

/**
 * Runs the meeting's commands from the keyboard: the single keys (ignored while typing, Esc
 * always works, and with modifier keys held) and the desktop app's Meeting menu (it owns
 * Ctrl/Cmd+Shift+M and friends).
 */
export function useMeetingCommands(run: (command: MeetingCommand) => void): void {
  const latest = useRef(run)
  useEffect(() => {
    latest.current = run
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return
      const command = commandFor(e)
      if (!command) return
      if (command !== 'dismiss' && typingInto(e.target)) return
      e.preventDefault()
      latest.current(command)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  useShortcutCommands((command) => {
    if (command !== 'show-shortcuts') latest.current(command)
  }, null)
}
