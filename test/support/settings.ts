import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { SettingsPatch } from '../../src/shared/contract/settings'

/**
 * Configure a host before it starts: write settings.json into its data dir (what a person
 * editing the file, or the settings screen, would leave there).
 */
export function writeHostSettings(dataDir: string, settings: SettingsPatch): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 })
}

/** Settings that point a host at a ThreeFold stand-in (directory and login page). */
export function standinSettings(standinUrl: string): SettingsPatch {
  return { directoryUrl: standinUrl, loginUrl: standinUrl }
}
