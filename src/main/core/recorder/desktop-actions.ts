import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import path from 'node:path'

/**
 * What the recorder asks of the operating system. The Electron shell implements it with
 * `shell.openPath`, `shell.showItemInFolder` and `shell.trashItem`
 * (src/main/electron/desktop-actions.ts); the headless host with the OS's opener command when
 * it has a desktop to open things on. Each method throws an Error whose message the user sees.
 */
export interface DesktopActions {
  /** Open the file in the system's player. */
  openPath(file: string): Promise<void>
  /** Show the file selected in the system's file manager. */
  showInFolder(file: string): Promise<void>
  /** Move the file to the system's trash; without one, the recorder deletes the file. */
  trash?(file: string): Promise<void>
}

/** The headless host: xdg-open / open / explorer, when there is a desktop session to show it on. */
export function createHeadlessDesktopActions(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): DesktopActions {
  const hasDesktop = platform !== 'linux' || !!(env.DISPLAY || env.WAYLAND_DISPLAY)
  const run = async (command: string, args: string[]) => {
    if (!hasDesktop)
      throw new Error('This headless host has no desktop to open it on; open it from the folder shown, or use the desktop app.')
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true })
      child.once('spawn', () => {
        child.unref()
        resolve()
      })
      child.once('error', () => reject(new Error(`Could not run ${command} to open it.`)))
    })
  }
  return {
    openPath: (file) =>
      platform === 'darwin' ? run('open', [file]) : platform === 'win32' ? run('explorer', [file]) : run('xdg-open', [file]),
    // xdg-open cannot select a file: Linux shows the folder.
    showInFolder: (file) =>
      platform === 'darwin'
        ? run('open', ['-R', file])
        : platform === 'win32'
          ? run('explorer', [`/select,${file}`])
          : run('xdg-open', [path.dirname(file)])
  }
}

/** Trash when the host can, else delete; says which. */
export async function removeRecordingFile(actions: DesktopActions, file: string): Promise<{ trashed: boolean }> {
  if (actions.trash) {
    try {
      await actions.trash(file)
      return { trashed: true }
    } catch {
      // no trash on this system (e.g. a network folder): delete instead
    }
  }
  await rm(file)
  return { trashed: false }
}
