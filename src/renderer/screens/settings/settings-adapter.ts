import type { Settings } from '../../../shared/contract/index'

/**
 * The settings as the screens use them: the settings screen edits them, the pre-join screen
 * remembers devices, the meeting reads STUN/TURN and video quality. They live in the core's
 * settings service (validated and persisted in the data dir); this keeps the last copy so the
 * meeting need not ask again, and tells listeners when they change.
 */
let cached: Settings | null = null
const listeners = new Set<(settings: Settings) => void>()

export async function loadSettings(): Promise<Settings> {
  cached = await window.dym.invoke('settings.get', {})
  return cached
}

/** The last loaded settings (loads once if needed). */
export async function currentSettings(): Promise<Settings> {
  return cached ?? (await loadSettings())
}

export async function saveSettings(settings: Settings): Promise<Settings> {
  const saved = await window.dym.invoke('settings.update', settings)
  cached = saved
  for (const listener of listeners) listener(saved)
  return saved
}

/**
 * Told when settings change: saved in this window, or changed by the core (its settings.changed
 * event). The meeting applies STUN/TURN and quality changes at once.
 */
export function onSettingsSaved(listener: (settings: Settings) => void): () => void {
  listeners.add(listener)
  const off = window.dym.on('settings.changed', (settings) => {
    cached = settings
    listener(settings)
  })
  return () => {
    listeners.delete(listener)
    off()
  }
}
