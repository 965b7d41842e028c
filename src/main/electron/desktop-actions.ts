import { shell } from 'electron'
import type { DesktopActions } from '../core/recorder/desktop-actions'

/** The recorder's OS actions in the desktop app: the system player, file manager and trash. */
export const electronDesktopActions: DesktopActions = {
  async openPath(file) {
    // openPath resolves with an error message ('' on success) rather than rejecting.
    const error = await shell.openPath(file)
    if (error) throw new Error(error)
  },
  async showInFolder(file) {
    shell.showItemInFolder(file)
  },
  async trash(file) {
    await shell.trashItem(file)
  }
}
