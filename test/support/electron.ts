import { existsSync, readFileSync } from 'node:fs'
import type { ElectronApplication, Page } from 'playwright-core'
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
  if (!existsSync(pathFile))
    return { skip: 'node_modules/electron has no downloaded binary (run `npx install-electron` where GitHub is reachable)' }
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(binary)) return { skip: `${binary} is missing` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { skip: 'no DISPLAY for a window (run under xvfb-run)' }
  return { path: binary }
}

/** Prints the reason once, loudly, so nobody mistakes a skip for a pass. */
export function electronSkipReason(): string | null {
  const found = electronBinary()
  if ('path' in found) return null
  console.log(`skipped: no Electron binary (${found.skip})`)
  return found.skip
}

export interface LaunchedApp {
  app: ElectronApplication
  page: Page
}

/**
 * Start the real desktop app (out/main/index.js) with its own data dir (also its Chromium
 * profile and single-instance lock), extra argv (e.g. a dym:// link) and the first window.
 * As root (CI containers) Chromium's OS sandbox cannot start: --no-sandbox there only; the
 * renderer's JS sandbox (contextIsolation, sandbox: true) is unaffected.
 */
export async function launchDesktopApp(options: { dataDir: string; args?: string[]; env?: Record<string, string> }): Promise<LaunchedApp> {
  const { _electron } = await import('playwright-core')
  const binary = electronBinary()
  if (!('path' in binary)) throw new Error(`no Electron binary: ${binary.skip}`)
  const root = process.getuid?.() === 0 ? ['--no-sandbox'] : []
  const app = await _electron.launch({
    executablePath: binary.path,
    args: [...root, path.join(REPO_ROOT, 'out/main/index.js'), ...(options.args ?? [])],
    env: { ...process.env, DYM_DATA_DIR: options.dataDir, DYM_LOG: process.env.DYM_LOG ?? 'info', ...options.env } as Record<
      string,
      string
    >,
    timeout: 60_000
  })
  const page = await app.firstWindow({ timeout: 60_000 })
  return { app, page }
}
