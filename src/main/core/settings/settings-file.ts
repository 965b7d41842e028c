import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { Settings, SETTINGS_MAX_FILE_BYTES, settingsFields, type SettingsField } from '../../../shared/contract/settings'
import { keepBadCopy, writeJsonAtomic } from '../files/json-file'
import type { Logger } from '../log'

export const SETTINGS_FILE = 'settings.json'

export function settingsPath(dataDir: string): string {
  return path.join(dataDir, SETTINGS_FILE)
}

export function defaultSettings(): Settings {
  return Settings.parse({})
}

/**
 * Read settings.json. Never throws and never stops the app: a missing file gives the defaults;
 * an unreadable, oversize or non-JSON file gives the defaults; a field that fails its schema
 * falls back to its own default while the good fields are kept. Any problem is logged and the
 * file is kept as settings.json.bad, so a hand edit gone wrong is not lost.
 */
export async function loadSettingsFile(file: string, log: Logger): Promise<Settings> {
  const problem = await readProblem(file)
  if (problem === 'missing') return defaultSettings()
  if (typeof problem === 'string') return fallBack(file, log, problem)

  const raw = problem.raw
  const result: Record<string, unknown> = {}
  const badFields: string[] = []
  for (const key of Object.keys(settingsFields) as SettingsField[]) {
    const parsed = settingsFields[key].safeParse(raw[key])
    if (parsed.success) result[key] = parsed.data
    else {
      badFields.push(`${key} (${parsed.error.issues[0]?.message ?? 'invalid'})`)
      result[key] = settingsFields[key].parse(undefined)
    }
  }
  const unknown = Object.keys(raw).filter((k) => !Object.hasOwn(settingsFields, k))
  if (unknown.length > 0) log.debug(`settings: ignoring unknown fields ${unknown.slice(0, 10).join(', ')}`)
  if (badFields.length > 0) {
    const copy = await keepBadCopy(file)
    log.warn(`settings: using defaults for invalid ${badFields.join('; ')}${copy ? ` (file kept as ${copy})` : ''}`)
  }
  return Settings.parse(result)
}

async function readProblem(file: string): Promise<'missing' | string | { raw: Record<string, unknown> }> {
  try {
    const size = (await stat(file)).size
    if (size > SETTINGS_MAX_FILE_BYTES) return `larger than ${SETTINGS_MAX_FILE_BYTES} bytes`
    const raw: unknown = JSON.parse(await readFile(file, 'utf8'))
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object'
    return { raw: raw as Record<string, unknown> }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    return err instanceof SyntaxError ? `not JSON (${err.message})` : `unreadable (${(err as Error).message})`
  }
}

async function fallBack(file: string, log: Logger, why: string): Promise<Settings> {
  const copy = await keepBadCopy(file)
  log.warn(`settings: ${file} is ${why}; using defaults${copy ? ` (file kept as ${copy})` : ''}`)
  return defaultSettings()
}

export async function saveSettingsFile(file: string, settings: Settings): Promise<void> {
  await writeJsonAtomic(file, settings, 0o600)
}
