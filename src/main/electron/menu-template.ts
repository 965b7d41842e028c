import { SHORTCUTS, type ShortcutCommand } from '../../shared/shortcuts'

/**
 * The application menu as plain data (no Electron import, so it is unit-tested): standard
 * roles where the OS provides the behaviour, and our shortcut commands, which the shell turns
 * into `app.menu-command` events for the renderer. app-menu.ts builds the real menu from it.
 */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'reload'
  | 'minimize'
  | 'zoom'
  | 'close'
  | 'front'

export type MenuEntry =
  | { type: 'role'; role: MenuRole; label?: string }
  | { type: 'command'; command: ShortcutCommand; label: string; accelerator: string; inCall: boolean }
  | { type: 'separator' }

export interface MenuSection {
  label: string
  /** macOS names its first menu after the app and gives it the `appMenu` treatment. */
  role?: 'appMenu' | 'fileMenu' | 'editMenu' | 'viewMenu' | 'windowMenu' | 'help'
  entries: MenuEntry[]
}

const role = (r: MenuRole, label?: string): MenuEntry => (label ? { type: 'role', role: r, label } : { type: 'role', role: r })
const separator: MenuEntry = { type: 'separator' }
const command = (c: ShortcutCommand): MenuEntry => {
  const shortcut = SHORTCUTS.find((s) => s.command === c)
  if (!shortcut) throw new Error(`no shortcut for ${c}`)
  return { type: 'command', command: c, label: shortcut.label, accelerator: shortcut.accelerator, inCall: shortcut.inCall }
}

export function menuTemplate(options: { platform: NodeJS.Platform; appName: string; isDevelopment: boolean }): MenuSection[] {
  const mac = options.platform === 'darwin'
  const sections: MenuSection[] = []
  if (mac) {
    sections.push({
      label: options.appName,
      role: 'appMenu',
      entries: [
        role('about'),
        separator,
        role('services'),
        separator,
        role('hide'),
        role('hideOthers'),
        role('unhide'),
        separator,
        role('quit')
      ]
    })
  } else {
    sections.push({ label: '&File', role: 'fileMenu', entries: [role('quit', 'Quit')] })
  }
  // Text fields need the edit roles on macOS for Cmd+C/V to work at all.
  sections.push({
    label: '&Edit',
    role: 'editMenu',
    entries: [
      role('undo'),
      role('redo'),
      separator,
      role('cut'),
      role('copy'),
      role('paste'),
      role('pasteAndMatchStyle'),
      role('delete'),
      role('selectAll')
    ]
  })
  sections.push({
    label: '&Meeting',
    entries: [
      command('toggle-mute'),
      command('toggle-camera'),
      command('share-screen'),
      separator,
      command('raise-hand'),
      command('toggle-chat'),
      separator,
      command('leave-meeting')
    ]
  })
  // No reload in a release build: it would drop the call. DevTools only while developing.
  const view: MenuEntry[] = [role('resetZoom'), role('zoomIn'), role('zoomOut'), separator, role('togglefullscreen')]
  if (options.isDevelopment) view.push(separator, role('reload'), role('toggleDevTools'))
  sections.push({ label: '&View', role: 'viewMenu', entries: view })
  sections.push({
    label: '&Window',
    role: 'windowMenu',
    entries: mac ? [role('minimize'), role('zoom'), separator, role('front')] : [role('minimize'), role('close')]
  })
  sections.push({
    label: '&Help',
    role: 'help',
    entries: [command('show-shortcuts'), ...(mac ? [] : [separator, role('about', `About ${options.appName}`)])]
  })
  return sections
}

/** Every command entry of a template, for enabling them and for tests. */
export function commandEntries(sections: MenuSection[]): Array<Extract<MenuEntry, { type: 'command' }>> {
  return sections.flatMap((s) => s.entries.filter((e): e is Extract<MenuEntry, { type: 'command' }> => e.type === 'command'))
}
