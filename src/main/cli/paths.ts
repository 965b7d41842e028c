import os from 'node:os'
import path from 'node:path'

/** Where a headless host keeps its data by default: the same place Electron's userData would be. */
export function defaultDataDir(): string {
  const home = os.homedir()
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Digital You Meet')
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Digital You Meet')
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Digital You Meet')
}
