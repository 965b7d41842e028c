import { toDymError } from '../../../shared/contract/index'
import { AppSettings, DEFAULT_SETTINGS } from './settings-model'

/**
 * The thin door between the settings screen (and the meeting, which reads STUN/TURN and video
 * quality) and wherever settings live. Today it asks the core's settings service by name; in
 * builds without that service it keeps them in this window's local storage instead. When the
 * settings contract is merged, the loose `invoke` below becomes the typed one.
 */
export type SettingsSource = 'core' | 'local'

type LooseInvoke = (method: string, request: unknown) => Promise<unknown>
const LOCAL_KEY = 'dym.settings.local'

let cached: { settings: AppSettings; source: SettingsSource } | null = null
const listeners = new Set<(settings: AppSettings) => void>()

function invoke(method: string, request: unknown): Promise<unknown> {
  return (window.dym.invoke as unknown as LooseInvoke)(method, request)
}

function serviceMissing(err: unknown): boolean {
  const code = toDymError(err).code
  return code === 'unknown-method' || code === 'unavailable'
}

function readLocal(): AppSettings {
  try {
    const parsed = AppSettings.safeParse(JSON.parse(localStorage.getItem(LOCAL_KEY) ?? '{}'))
    return parsed.success ? parsed.data : DEFAULT_SETTINGS
  } catch {
    return DEFAULT_SETTINGS
  }
}

export async function loadSettings(): Promise<{ settings: AppSettings; source: SettingsSource }> {
  try {
    const parsed = AppSettings.safeParse(await invoke('settings.get', {}))
    cached = { settings: parsed.success ? parsed.data : DEFAULT_SETTINGS, source: 'core' }
  } catch (err) {
    if (!serviceMissing(err)) throw toDymError(err)
    cached = { settings: readLocal(), source: 'local' }
  }
  return cached
}

/** The last loaded settings (loads once if needed). */
export async function currentSettings(): Promise<AppSettings> {
  return (cached ?? (await loadSettings())).settings
}

export async function saveSettings(settings: AppSettings): Promise<AppSettings> {
  const source = cached?.source ?? (await loadSettings()).source
  let saved = settings
  if (source === 'core') {
    const parsed = AppSettings.safeParse(await invoke('settings.update', settings))
    saved = parsed.success ? parsed.data : settings
  } else {
    localStorage.setItem(LOCAL_KEY, JSON.stringify(settings))
  }
  cached = { settings: saved, source }
  for (const listener of listeners) listener(saved)
  return saved
}

type LooseOn = (event: string, listener: (payload: unknown) => void) => () => void

/**
 * Told when settings change: saved in this window, or changed by the core (its settings.changed
 * event). The meeting applies STUN/TURN and quality changes at once.
 */
export function onSettingsSaved(listener: (settings: AppSettings) => void): () => void {
  listeners.add(listener)
  const off = (window.dym.on as unknown as LooseOn)('settings.changed', (payload) => {
    const parsed = AppSettings.safeParse(payload)
    if (!parsed.success) return
    cached = { settings: parsed.data, source: 'core' }
    listener(parsed.data)
  })
  return () => {
    listeners.delete(listener)
    off()
  }
}
