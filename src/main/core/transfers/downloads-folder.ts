import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Where received files go when nobody chose: the OS downloads folder (XDG on Linux). */
export function defaultDownloadsFolder(home = os.homedir()): string {
  if (process.platform === 'darwin' || process.platform === 'win32') return path.join(home, 'Downloads')
  const configHome = process.env.XDG_CONFIG_HOME ?? path.join(home, '.config')
  try {
    const dirs = readFileSync(path.join(configHome, 'user-dirs.dirs'), 'utf8')
    const m = /^XDG_DOWNLOAD_DIR="([^"]+)"/m.exec(dirs)
    if (m?.[1]) return m[1].replace(/^\$HOME/, home)
  } catch {
    // no user-dirs.dirs: the conventional name
  }
  return path.join(home, 'Downloads')
}
