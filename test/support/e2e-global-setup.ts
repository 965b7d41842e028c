import { existsSync } from 'node:fs'
import path from 'node:path'
import { findChromium } from './chromium'
import { REPO_ROOT } from './host-process'

/** Fail fast, with the fix in the message, when the app is not built or there is no Chromium. */
export default function setup(): void {
  for (const part of ['out/cli/dym.js', 'out/renderer/index.html', 'out/bridge/ws-bridge.js']) {
    if (!existsSync(path.join(REPO_ROOT, part))) throw new Error(`${part} is missing: run "npm run build" before the end-to-end tests.`)
  }
  findChromium()
}
