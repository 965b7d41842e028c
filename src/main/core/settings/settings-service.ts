import { DymError } from '../../../shared/contract/errors'
import { Settings, SettingsPatch, type Settings as SettingsValue } from '../../../shared/contract/settings'
import { createSerialQueue } from '../files/json-file'
import type { Service, ServiceContext } from '../service'
import { checkChosenFolder } from './folder-check'
import { defaultSettings, loadSettingsFile, saveSettingsFile, settingsPath } from './settings-file'

export type SettingsListener = (next: SettingsValue, previous: SettingsValue) => void

/**
 * How other core services read settings: in process, always the current valid value, and a
 * callback when it changes (e.g. the p2p node re-dials new bootstrap peers).
 */
export interface SettingsApi {
  /** The settings now; always valid (defaults fill anything missing or broken). */
  current(): SettingsValue
  /** Called after each change is saved; returns the unsubscribe. */
  onChange(listener: SettingsListener): () => void
  /** Validate, save atomically, tell listeners and the renderer. Throws DymError('bad-request'). */
  update(patch: unknown): Promise<SettingsValue>
}

export type SettingsService = Service<'settings.get' | 'settings.update'> & SettingsApi

export function createSettingsService(context: ServiceContext): SettingsService {
  const file = settingsPath(context.dataDir)
  const listeners = new Set<SettingsListener>()
  const serial = createSerialQueue()
  let settings = defaultSettings()

  const update = (patch: unknown) =>
    serial(async () => {
      const parsedPatch = SettingsPatch.safeParse(patch)
      if (!parsedPatch.success) {
        const issue = parsedPatch.error.issues[0]
        throw new DymError('bad-request', `settings: ${issue?.path.join('.') || 'patch'}: ${issue?.message ?? 'invalid'}`)
      }
      const next = Settings.parse({ ...settings, ...parsedPatch.data })
      const previous = settings
      // A folder is more than its spelling: it must be one we can write recordings into.
      if (next.recordingsDir !== null && next.recordingsDir !== previous.recordingsDir)
        await checkChosenFolder(next.recordingsDir, { label: 'The recordings folder' })
      if (next.downloadsDir !== null && next.downloadsDir !== previous.downloadsDir)
        await checkChosenFolder(next.downloadsDir, { label: 'The downloads folder', example: 'your Downloads folder' })
      try {
        await saveSettingsFile(file, next)
      } catch (err) {
        throw new DymError('internal', `Could not save settings: ${(err as Error).message}`)
      }
      settings = next
      for (const listener of listeners) {
        try {
          listener(next, previous)
        } catch (err) {
          context.log.warn('settings listener threw', err)
        }
      }
      context.emit('settings.changed', next)
      return next
    })

  return {
    name: 'settings',
    handlers: {
      'settings.get': () => settings,
      'settings.update': (patch) => update(patch)
    },
    async start() {
      settings = await loadSettingsFile(file, context.log)
    },
    current: () => settings,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    update
  }
}
