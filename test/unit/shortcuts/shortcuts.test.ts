import { describe, expect, it } from 'vitest'
import { commandEntries, menuTemplate } from '../../../src/main/electron/menu-template'
import {
  formatAccelerator,
  matchesAccelerator,
  SHORTCUT_COMMANDS,
  SHORTCUTS,
  shortcutFor,
  type KeyPress
} from '../../../src/shared/shortcuts'

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods
})

describe('the shortcut table', () => {
  it('has one entry per command and no accelerator twice', () => {
    expect(SHORTCUTS.map((s) => s.command).sort()).toEqual([...SHORTCUT_COMMANDS].sort())
    expect(new Set(SHORTCUTS.map((s) => s.accelerator.toLowerCase())).size).toBe(SHORTCUTS.length)
  })

  it('uses no key a browser or DevTools keeps for itself', () => {
    const reserved = [
      'CmdOrCtrl+T',
      'CmdOrCtrl+W',
      'CmdOrCtrl+N',
      'CmdOrCtrl+Shift+T',
      'CmdOrCtrl+Shift+W',
      'CmdOrCtrl+Shift+N',
      'CmdOrCtrl+Shift+I',
      'CmdOrCtrl+Shift+J',
      'CmdOrCtrl+Shift+C',
      'CmdOrCtrl+Q',
      'CmdOrCtrl+R'
    ]
    for (const s of SHORTCUTS) expect(reserved).not.toContain(s.accelerator)
  })
})

describe('formatAccelerator', () => {
  it.each([
    ['CmdOrCtrl+Shift+M', 'mac', '⌘⇧M'],
    ['CmdOrCtrl+Shift+M', 'other', 'Ctrl+Shift+M'],
    ['CmdOrCtrl+/', 'mac', '⌘/'],
    ['Alt+F4', 'other', 'Alt+F4']
  ] as const)('%s on %s -> %s', (acc, platform, shown) => {
    expect(formatAccelerator(acc, platform)).toBe(shown)
  })
})

describe('matchesAccelerator / shortcutFor', () => {
  it.each<[string, KeyPress, 'mac' | 'other', string | null]>([
    ['Ctrl+Shift+M on Linux mutes', press('M', { ctrlKey: true, shiftKey: true }), 'other', 'toggle-mute'],
    ['Cmd+Shift+M on a Mac mutes', press('m', { metaKey: true, shiftKey: true }), 'mac', 'toggle-mute'],
    ['Ctrl+Shift+M on a Mac does nothing', press('M', { ctrlKey: true, shiftKey: true }), 'mac', null],
    ['Ctrl+M without Shift does nothing', press('m', { ctrlKey: true }), 'other', null],
    ['an extra Alt does nothing', press('M', { ctrlKey: true, shiftKey: true, altKey: true }), 'other', null],
    ['plain typing does nothing', press('m'), 'other', null],
    ['Ctrl+/ opens the help sheet', press('/', { ctrlKey: true }), 'other', 'show-shortcuts'],
    ['Ctrl+Shift+/ (a layout needing Shift) opens it too', press('/', { ctrlKey: true, shiftKey: true }), 'other', 'show-shortcuts'],
    ['Ctrl+Shift+H leaves', press('H', { ctrlKey: true, shiftKey: true }), 'other', 'leave-meeting']
  ])('%s', (_what, keys, platform, expected) => {
    expect(shortcutFor(keys, platform)).toBe(expected)
  })

  it('every accelerator matches its own key press', () => {
    for (const s of SHORTCUTS) {
      const key = s.accelerator.split('+').pop() ?? ''
      const keys = press(key, { ctrlKey: true, shiftKey: s.accelerator.includes('Shift') })
      expect(matchesAccelerator(keys, s.accelerator, 'other')).toBe(true)
    }
  })
})

describe('the application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)('on %s holds every shortcut with its accelerator', (platform) => {
    const menu = menuTemplate({ platform, appName: 'Digital You Meet', isDevelopment: false })
    const entries = commandEntries(menu)
    expect(entries.map((e) => e.command).sort()).toEqual([...SHORTCUT_COMMANDS].sort())
    for (const e of entries) expect(e.accelerator).toBe(SHORTCUTS.find((s) => s.command === e.command)?.accelerator)
  })

  it('has the app menu with Quit on macOS and a File menu elsewhere', () => {
    const mac = menuTemplate({ platform: 'darwin', appName: 'Digital You Meet', isDevelopment: false })
    expect(mac[0]).toMatchObject({ label: 'Digital You Meet', role: 'appMenu' })
    expect(mac[0]?.entries).toContainEqual({ type: 'role', role: 'quit' })
    const linux = menuTemplate({ platform: 'linux', appName: 'Digital You Meet', isDevelopment: false })
    expect(linux[0]?.entries).toContainEqual({ type: 'role', role: 'quit', label: 'Quit' })
  })

  it('offers reload and DevTools only while developing', () => {
    const roles = (dev: boolean) =>
      menuTemplate({ platform: 'linux', appName: 'x', isDevelopment: dev })
        .flatMap((s) => s.entries)
        .flatMap((e) => (e.type === 'role' ? [e.role] : []))
    expect(roles(false)).not.toContain('toggleDevTools')
    expect(roles(false)).not.toContain('reload')
    expect(roles(true)).toContain('toggleDevTools')
  })
})
