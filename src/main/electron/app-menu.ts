import { app, Menu, type MenuItemConstructorOptions } from 'electron'
import type { ShortcutCommand } from '../../shared/shortcuts'
import { commandEntries, menuTemplate, type MenuEntry } from './menu-template'

/** Builds the application menu from menu-template.ts; commands go to `onCommand`. */
export function installAppMenu(onCommand: (command: ShortcutCommand) => void): void {
  const template = menuTemplate({ platform: process.platform, appName: app.name, isDevelopment: !app.isPackaged })
  const toItem = (entry: MenuEntry): MenuItemConstructorOptions => {
    if (entry.type === 'separator') return { type: 'separator' }
    if (entry.type === 'role') return entry.label ? { role: entry.role, label: entry.label } : { role: entry.role }
    return {
      id: entry.command,
      label: entry.label,
      accelerator: entry.accelerator,
      // Meeting commands start disabled; setMenuInCall enables them during a call.
      enabled: !entry.inCall,
      click: () => onCommand(entry.command)
    }
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      template.map((section) => ({
        label: section.label,
        ...(section.role === 'help' ? { role: 'help' as const } : {}),
        submenu: section.entries.map(toItem)
      }))
    )
  )
}

export function setMenuInCall(inCall: boolean): void {
  const menu = Menu.getApplicationMenu()
  if (!menu) return
  const template = menuTemplate({ platform: process.platform, appName: app.name, isDevelopment: !app.isPackaged })
  for (const entry of commandEntries(template)) {
    if (!entry.inCall) continue
    const item = menu.getMenuItemById(entry.command)
    if (item) item.enabled = inCall
  }
}
