import { screen, type BrowserWindow } from 'electron'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import writeFileAtomic from 'write-file-atomic'
import {
  parseWindowState,
  placeWindow,
  windowStateToSave,
  WINDOW_STATE_MAX_BYTES,
  type Placement,
  type PlacementDefaults
} from './window-bounds'

export const WINDOW_STATE_FILE = 'window-state.json'

/** The saved placement, corrected for the displays present now (see window-bounds.ts). */
export function loadPlacement(dataDir: string, defaults: PlacementDefaults): Placement {
  let text: string | null = null
  try {
    const raw = readFileSync(path.join(dataDir, WINDOW_STATE_FILE))
    text = raw.length <= WINDOW_STATE_MAX_BYTES ? raw.toString('utf8') : null
  } catch {
    text = null
  }
  const primary = screen.getPrimaryDisplay()
  const others = screen.getAllDisplays().filter((d) => d.id !== primary.id)
  return placeWindow(parseWindowState(text), [primary.workArea, ...others.map((d) => d.workArea)], defaults)
}

/** Save size and position when the user stops moving the window, and when it closes. */
export function rememberPlacement(win: BrowserWindow, dataDir: string): void {
  const file = path.join(dataDir, WINDOW_STATE_FILE)
  let timer: NodeJS.Timeout | undefined
  const current = () =>
    JSON.stringify(windowStateToSave(win.getNormalBounds(), { maximized: win.isMaximized(), fullScreen: win.isFullScreen() }))
  // Atomic: a crash mid-write never leaves half a file. Failures are not worth bothering
  // anyone about: the next start uses the defaults.
  const save = async () => {
    if (win.isDestroyed()) return
    try {
      await writeFileAtomic(file, current(), { mode: 0o600 })
    } catch {
      /* see above */
    }
  }
  const soon = () => {
    clearTimeout(timer)
    timer = setTimeout(() => void save(), 500)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const)
    win.on(event as 'resize', soon)
  // On close, synchronously: the process may be about to exit.
  win.on('close', () => {
    clearTimeout(timer)
    try {
      writeFileAtomic.sync(file, current(), { mode: 0o600 })
    } catch {
      /* see above */
    }
  })
}
