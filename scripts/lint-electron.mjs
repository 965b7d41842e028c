// `npm run lint:electron`: Doyensec's electronegativity over the source (src/), failing on any
// HIGH (or higher) finding. Every lower finding is printed with the reason it is acceptable, or
// flagged for review when there is none.
//
// Offline on purpose: electronegativity fetches translations and Electron's release list from
// the network on every run. Both lookups go through `got`, which is stubbed to fail at once,
// and the check that needs the release list (AvailableSecurityFixesGlobalCheck: "is there a
// newer Electron with security fixes", a question for dependency updates, not for this code)
// is left out.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

/** Why each medium/low finding on our code is acceptable (keyed by check id). */
export const JUSTIFIED = {
  CSP_GLOBAL_CHECK:
    'the CSP is an HTTP header set by the app:// protocol handler (src/main/electron/app-protocol.ts, built by src/shared/security/csp.ts, unit-tested), which the scanner cannot see',
  OPEN_EXTERNAL_JS_CHECK:
    'shell.openExternal only receives URLs that passed isExternalLinkAllowed (https, no credentials, bounded length; unit-tested)',
  PRELOAD_JS_CHECK:
    'the preload (src/preload/index.ts) exposes only window.dym (invoke/on on two fixed channels) through contextBridge; main checks every sender and request',
  AUXCLICK_JS_CHECK: 'windows set disableBlinkFeatures: "Auxclick" and deny every window.open',
  PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK:
    'every session has a request and a check handler (src/main/electron/security.ts, login-window.ts)',
  LIMIT_NAVIGATION_GLOBAL_CHECK:
    'navigation is limited by will-navigate/will-frame-navigate/will-redirect and setWindowOpenHandler on every window',
  PROTOCOL_HANDLER_JS_CHECK:
    'dym:// links (setAsDefaultProtocolClient) are only parsed by parseDeepLink (bounded, printable ASCII, dym://join/ only; table-tested) and the invite is checked again by the core before anything joins'
}

const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck']
const BLOCKING = 3 // severity value of HIGH; anything at or above fails

function stubNetwork() {
  const enegDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'))
  const gotPath = createRequire(path.join(enegDir, 'package.json')).resolve('got')
  const offline = () => Promise.reject(new Error('offline: electronegativity network lookups are disabled'))
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: Object.assign(offline, { default: offline }) }
}

/** Scan a directory or file; returns the findings and the files that could not be parsed. */
export async function scanElectron(input, { electronVersion } = {}) {
  stubNetwork()
  const run = require('@doyensec/electronegativity')
  const version = electronVersion ?? JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version
  // The library talks on console.log (its translation fallback); keep our output readable.
  const log = console.log
  console.log = () => undefined
  try {
    const result = await run({
      input,
      isRelative: true,
      electronVersionOverride: version,
      excludeFromScan: EXCLUDED_CHECKS,
      parserPlugins: []
    })
    return {
      findings: result.issues.map((i) => ({
        id: i.id,
        severity: i.severity.name,
        severityValue: i.severity.value,
        confidence: i.confidence.name,
        file: i.file,
        line: i.location?.line ?? 0,
        description: i.description,
        manualReview: Boolean(i.manualReview)
      })),
      unparsed: result.errors.filter((e) => !e.tolerable).map((e) => ({ file: e.file, message: e.message }))
    }
  } finally {
    console.log = log
  }
}

export function verdict(scan) {
  const blocking = scan.findings.filter((f) => f.severityValue >= BLOCKING)
  return { ok: blocking.length === 0 && scan.unparsed.length === 0, blocking }
}

async function main() {
  const input = path.resolve(root, process.argv[2] ?? 'src')
  const started = Date.now()
  const scan = await scanElectron(input)
  const { ok, blocking } = verdict(scan)
  console.log(
    `electronegativity over ${path.relative(root, input) || '.'}: ${scan.findings.length} findings, ${blocking.length} high or critical (${Date.now() - started} ms)`
  )
  for (const f of scan.findings) {
    const where = f.file === 'N/A' ? '(global)' : `${f.file}:${f.line}`
    const why =
      f.severityValue >= BLOCKING
        ? 'BLOCKING: fix it'
        : (JUSTIFIED[f.id] ?? 'not yet justified: review it and add the reason to scripts/lint-electron.mjs')
    console.log(`  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id} ${where}\n      ${why}`)
  }
  for (const u of scan.unparsed) console.log(`  UNPARSED ${u.file}: ${u.message} (not scanned: fails the check)`)
  if (!ok) {
    console.error('lint:electron failed: high/critical findings or files the scanner could not read.')
    process.exit(1)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
