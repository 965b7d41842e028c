/**
 * The app's keyboard shortcuts, in one table shared by the Electron application menu (which
 * owns the keys in the desktop app) and the renderer (its help sheet, and the keys themselves
 * in the headless host where there is no menu). Accelerators use Electron's syntax.
 *
 * Keys are chosen to survive a browser too: none of them is one Chromium keeps for itself
 * (Ctrl+T/W/N, Ctrl+Shift+T/W/N, Ctrl+Tab) or one Chromium/DevTools binds (Ctrl+Shift+I/J/C).
 */
export const SHORTCUT_COMMANDS = [
  'toggle-mute',
  'toggle-camera',
  'share-screen',
  'raise-hand',
  'toggle-chat',
  'leave-meeting',
  'show-shortcuts'
] as const
export type ShortcutCommand = (typeof SHORTCUT_COMMANDS)[number]

export interface Shortcut {
  readonly command: ShortcutCommand
  readonly label: string
  readonly accelerator: string
  /** Only useful while in a meeting: the menu greys these out otherwise. */
  readonly inCall: boolean
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'toggle-mute', label: 'Mute or unmute microphone', accelerator: 'CmdOrCtrl+Shift+M', inCall: true },
  { command: 'toggle-camera', label: 'Turn camera on or off', accelerator: 'CmdOrCtrl+Shift+O', inCall: true },
  { command: 'share-screen', label: 'Share screen or stop sharing', accelerator: 'CmdOrCtrl+Shift+E', inCall: true },
  { command: 'raise-hand', label: 'Raise or lower hand', accelerator: 'CmdOrCtrl+Shift+K', inCall: true },
  { command: 'toggle-chat', label: 'Show or hide chat', accelerator: 'CmdOrCtrl+Shift+U', inCall: true },
  { command: 'leave-meeting', label: 'Leave meeting', accelerator: 'CmdOrCtrl+Shift+H', inCall: true },
  { command: 'show-shortcuts', label: 'Keyboard shortcuts', accelerator: 'CmdOrCtrl+/', inCall: false }
]

export function isShortcutCommand(value: unknown): value is ShortcutCommand {
  return typeof value === 'string' && (SHORTCUT_COMMANDS as readonly string[]).includes(value)
}

export type KeyPlatform = 'mac' | 'other'

const MAC_SYMBOLS: Record<string, string> = { Cmd: '⌘', Ctrl: '⌃', Shift: '⇧', Alt: '⌥' }

/** How the help sheet shows an accelerator: ⌘⇧M on a Mac, Ctrl+Shift+M elsewhere. */
export function formatAccelerator(accelerator: string, platform: KeyPlatform): string {
  const parts = accelerator.split('+').map((part) => (part === 'CmdOrCtrl' ? (platform === 'mac' ? 'Cmd' : 'Ctrl') : part))
  if (platform === 'mac') return parts.map((p) => MAC_SYMBOLS[p] ?? p).join('')
  return parts.join('+')
}

/** The parts of a KeyboardEvent we match on (no DOM types in src/shared). */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

/**
 * Does a key press match an accelerator? Modifiers must match exactly, so Ctrl+Shift+M is not
 * taken for Ctrl+M. `key` is compared case-insensitively (Shift turns "m" into "M").
 */
export function matchesAccelerator(press: KeyPress, accelerator: string, platform: KeyPlatform): boolean {
  const parts = accelerator.split('+')
  const key = parts.pop() ?? ''
  const want = { ctrl: false, meta: false, shift: false, alt: false }
  for (const part of parts) {
    if (part === 'CmdOrCtrl') want[platform === 'mac' ? 'meta' : 'ctrl'] = true
    else if (part === 'Cmd' || part === 'Command' || part === 'Super') want.meta = true
    else if (part === 'Ctrl' || part === 'Control') want.ctrl = true
    else if (part === 'Shift') want.shift = true
    else if (part === 'Alt' || part === 'Option') want.alt = true
  }
  if (press.ctrlKey !== want.ctrl || press.metaKey !== want.meta || press.altKey !== want.alt) return false
  // "/" needs Shift on some layouts: for punctuation keys, Shift is not part of the match.
  const isLetterOrDigit = /^[a-z0-9]$/i.test(key)
  if (isLetterOrDigit && press.shiftKey !== want.shift) return false
  return press.key.toLowerCase() === key.toLowerCase()
}

/** The command a key press stands for, if any. */
export function shortcutFor(press: KeyPress, platform: KeyPlatform): ShortcutCommand | null {
  return SHORTCUTS.find((s) => matchesAccelerator(press, s.accelerator, platform))?.command ?? null
}
