import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'

export const RECORDINGS_SUBFOLDER = 'Digital You Meet'

/**
 * Where recordings go when nobody chose: `recordings/` of the checkout while developing (so
 * they are easy to find and git-ignored), else the OS videos folder under "Digital You Meet".
 * `appRoot` is the checkout or installed package; `videosDir` is what Electron's
 * `app.getPath('videos')` says, when the host knows it.
 */
export function defaultRecordingsFolder(options: { appRoot?: string; packaged?: boolean; videosDir?: string } = {}): string {
  const { appRoot, packaged = false } = options
  if (!packaged && appRoot && existsSync(path.join(appRoot, '.git')) && existsSync(path.join(appRoot, 'recordings'))) {
    return path.join(appRoot, 'recordings')
  }
  return path.join(options.videosDir ?? osVideosFolder(), RECORDINGS_SUBFOLDER)
}

/** The user's videos folder without Electron: XDG on Linux, Movies on macOS, Videos on Windows. */
export function osVideosFolder(home = os.homedir()): string {
  if (process.platform === 'darwin') return path.join(home, 'Movies')
  if (process.platform === 'win32') return path.join(home, 'Videos')
  const configHome = process.env.XDG_CONFIG_HOME ?? path.join(home, '.config')
  try {
    const dirs = readFileSync(path.join(configHome, 'user-dirs.dirs'), 'utf8')
    const m = /^XDG_VIDEOS_DIR="([^"]+)"/m.exec(dirs)
    if (m?.[1]) return m[1].replace(/^\$HOME/, home)
  } catch {
    // no user-dirs.dirs: the conventional name
  }
  return path.join(home, 'Videos')
}

/**
 * Makes sure the folder exists and takes a file, before ffmpeg is started: a folder that cannot
 * be written is a clear error at the press of the button, not a failed ffmpeg a second later.
 */
export async function ensureWritableFolder(folder: string): Promise<void> {
  const probe = path.join(folder, `.dym-write-test-${process.pid}`)
  try {
    await mkdir(folder, { recursive: true })
    await writeFile(probe, 'x')
    await rm(probe, { force: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'it is not writable'
          : code === 'ENOTDIR' || code === 'EEXIST'
            ? 'part of its path is a file, not a folder'
            : (err as Error).message
    throw new DymError('unavailable', `Cannot record into ${folder}: ${why}. Free some space or choose another recordings folder.`)
  }
}
