import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from './host-process'

/**
 * The Electron binary if this machine has one, else why not. Never downloads: tests must
 * not reach the network, and where no binary can be had they say so and skip.
 */
export function electronBinary(): { path: string } | { skip: string } {
  const override = process.env.ELECTRON_PATH
  if (override) return existsSync(override) ? { path: override } : { skip: `ELECTRON_PATH=${override} does not exist` }
  const pkgDir = path.join(REPO_ROOT, 'node_modules', 'electron')
  const pathFile = path.join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return { skip: 'node_modules/electron has no downloaded binary (run `npx install-electron` where GitHub is reachable)' }
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { skip: `${binary} is missing` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { skip: 'no DISPLAY for a window (run under xvfb-run)' }
  return { path: binary }
}

/** Prints the reason once, loudly, so nobody mistakes a skip for a pass. */
export function electronSkipReason(): string | null {
  const found = electronBinary()
  if ('path' in found) return null
  console.log(`skipped: no Electron binary (${found.skip})`)
  return found.skip
}
