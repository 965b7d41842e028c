import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
]

/** The system Chromium (or PLAYWRIGHT_CHROMIUM); a clear message when there is none. */
export function findChromium(): string {
  const override = process.env.PLAYWRIGHT_CHROMIUM
  if (override) {
    if (!existsSync(override)) throw new Error(`PLAYWRIGHT_CHROMIUM=${override} does not exist`)
    return override
  }
  const found = CANDIDATES.find((p) => existsSync(p))
  if (!found) {
    throw new Error(
      'No Chromium found for the end-to-end tests. Install one with `apt-get install -y chromium` (Debian/Ubuntu) or set PLAYWRIGHT_CHROMIUM to a Chromium/Chrome binary.'
    )
  }
  return found
}

/** Flags that make headless Chromium a usable meeting peer on a machine with no devices. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
  // Several pages in one browser each run a call: none may be throttled as "in background".
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'
]

/** `executablePath`: another binary, or a wrapper that execs Chromium (the NAT lab runs it inside a network namespace). */
export async function launchChromium(extraArgs: string[] = [], executablePath = findChromium()): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] })
}
