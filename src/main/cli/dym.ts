import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startCore } from '../core/core'
import { defaultRecordingsFolder } from '../core/recorder/recordings-folder'
import { createLogger } from '../core/log'
import { APP_VERSION } from '../core/version'
import { startHeadlessHost } from '../host/headless-host'
import { defaultDataDir } from './paths'
import { stopOnSignals } from './shutdown'
import { relay, RELAY_OPTIONS, RELAY_USAGE } from './relay'
import { verifyRecordingCommand, VERIFY_USAGE } from './verify-recording'

const here = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.resolve(here, '..')

const USAGE = `Digital You Meet ${APP_VERSION}

Usage:
  dym serve [--port N] [--data-dir DIR] [--recordings-dir DIR] [--downloads-dir DIR] [--listen MULTIADDR]... [--no-mdns | --mdns-tag NAME] [--open]
                                                run the app headless; prints the URL to open
${RELAY_USAGE}
${VERIFY_USAGE}
  dym --version

Serve options:
  --port N        port on 127.0.0.1 (default: a free one)
  --data-dir DIR  where keys, settings and chat history live (default: ${defaultDataDir()})
  --recordings-dir DIR
                  where recordings are written (default: $DYM_RECORDINGS_DIR, else
                  ${defaultRecordingsFolder({ appRoot: path.resolve(outDir, '..') })})
  --downloads-dir DIR
                  where files received in chat are saved (default: $DYM_DOWNLOADS_DIR, else
                  the downloads folder)
  --no-mdns       do not look for or announce meetings on the local network
  --mdns-tag NAME only find devices started with the same tag (NAME.local) on the local network
  --open          open the URL in the system browser

${RELAY_OPTIONS}`

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'recordings-dir': { type: 'string' },
      'downloads-dir': { type: 'string' },
      listen: { type: 'string', multiple: true },
      'no-mdns': { type: 'boolean', default: false },
      'mdns-tag': { type: 'string' },
      open: { type: 'boolean', default: false }
    },
    strict: true
  })
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`)
  const log = createLogger('dym')
  const recordingsDir =
    values['recordings-dir'] ?? process.env.DYM_RECORDINGS_DIR ?? defaultRecordingsFolder({ appRoot: path.resolve(outDir, '..') })
  const downloadsDir = values['downloads-dir'] ?? process.env.DYM_DOWNLOADS_DIR
  // --listen narrows where the libp2p node listens (tests: loopback only); --no-mdns keeps it
  // from announcing itself on the LAN; --mdns-tag makes a LAN group of its own (only nodes with
  // the same tag find each other).
  const mdnsTag = values['mdns-tag']
  if (mdnsTag !== undefined && !/^[a-z0-9][a-z0-9.-]{0,60}\.local$/.test(mdnsTag)) throw new Error('--mdns-tag must look like name.local')
  const mdns = values['no-mdns'] ? { mdns: false as const } : mdnsTag ? { mdns: { serviceTag: mdnsTag } } : {}
  const network = { ...(values.listen ? { listen: values.listen } : {}), ...mdns }
  const core = await startCore({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    hostKind: 'headless',
    log: log.child('core'),
    recorder: { folder: recordingsDir },
    ...(downloadsDir ? { downloadsFolder: downloadsDir } : {}),
    rooms: { network }
  })
  const host = await startHeadlessHost({
    core,
    rendererDir: path.join(outDir, 'renderer'),
    bridgeFile: path.join(outDir, 'bridge', 'ws-bridge.js'),
    port,
    log: log.child('host')
  })
  // The one line on stdout: people open it, test harnesses parse it.
  process.stdout.write(`Digital You Meet is running (headless host). Open: ${host.url}\n`)
  if (values.open) openInBrowser(host.url)

  // Longer than the relay's: a recording being finished gets its chance (one cut short is
  // finished by the recovery at the next start, so nothing is lost either way).
  stopOnSignals(
    async () => {
      await host.close()
      await core.stop()
    },
    log,
    30_000
  )
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  spawn(command, [url], { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref()
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2)
  switch (command) {
    case 'serve':
      return serve(rest)
    case 'relay':
      return relay(rest, createLogger('dym-relay'))
    case 'verify-recording':
      process.exitCode = await verifyRecordingCommand(rest, (line) => process.stdout.write(`${line}\n`))
      return
    case '--version':
    case '-v':
      process.stdout.write(APP_VERSION + '\n')
      return
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE)
      return
    default:
      process.stderr.write(`Unknown command: ${command}\n\n${USAGE}`)
      process.exitCode = 2
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dym: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
