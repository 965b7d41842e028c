import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import type { Logger } from '../core/log'
import { peerIdFromString } from '@libp2p/peer-id'
import { createRelayNode, relayListen } from '../core/p2p/relay-node'
import { defaultDataDir } from './paths'
import { stopOnSignals } from './shutdown'
import { cleanUpStaleTurn, startRelayTurn, TURN_FLAGS, TURN_OPTIONS, TurnFileConfig, turnSettings } from './relay-turn'

export const RELAY_USAGE = `  dym relay [--port N] [--listen ADDR]... [--announce ADDR]... [--bootstrap ADDR]...
            [--config FILE] [--data-dir DIR] [--allow-private-addresses] [TURN options]
                                                  run a public relay + DHT node + TURN; prints its addresses`

export const RELAY_OPTIONS = `Relay options:
  --port N                    TCP port (WebSockets on N+1) on every interface (default 4001; 0 = any free)
  --listen ADDR               listen on this multiaddr instead (repeatable), e.g. /ip4/0.0.0.0/tcp/4001
  --announce ADDR             tell others this address (a public IP in front of a NAT; repeatable)
  --bootstrap ADDR            another relay to share the DHT with (repeatable)
  --config FILE               JSON with the same settings: {"port", "listen", "announce", "bootstrap",
                              "dataDir", "allowPrivateAddresses", "maxReservations", "durationLimitSeconds",
                              "dataLimitBytes", "turn": {"enabled", "port", "ips", "publicIps", "cert", "key",
                              "host", "tlsPort", "relayPorts", "ttlSeconds", "registrars"}}; flags win over the file
  --data-dir DIR              where the relay keeps its key, so its address stays the same
                              (default: ${path.join(defaultDataDir(), 'relay')})
  --allow-private-addresses   keep LAN/loopback addresses in the DHT, and let TURN use and relay to them
                              (a relay for one LAN, or tests)

${TURN_OPTIONS}`

const Multiaddr = z.string().min(3).max(400).startsWith('/')
const RelayConfig = z
  .object({
    port: z.number().int().min(0).max(65535).optional(),
    listen: z.array(Multiaddr).max(32).optional(),
    announce: z.array(Multiaddr).max(32).optional(),
    bootstrap: z.array(Multiaddr).max(64).optional(),
    dataDir: z.string().max(4096).optional(),
    allowPrivateAddresses: z.boolean().optional(),
    maxReservations: z.number().int().min(1).max(100_000).optional(),
    durationLimitSeconds: z.number().int().min(10).max(86_400).optional(),
    dataLimitBytes: z
      .number()
      .int()
      .min(1024)
      .max(2 ** 40)
      .optional(),
    turn: TurnFileConfig.optional()
  })
  .strict()
type RelayConfig = z.infer<typeof RelayConfig>

async function readConfig(file: string): Promise<RelayConfig> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const parsed = RelayConfig.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`)
  }
  return parsed.data
}

/** The relay's key: made once, kept private in its data dir, so its peer id never changes. */
async function relaySeed(dataDir: string): Promise<Uint8Array> {
  const file = path.join(dataDir, 'relay-key')
  try {
    const hex = (await readFile(file, 'utf8')).trim()
    if (/^[0-9a-f]{64}$/.test(hex)) return new Uint8Array(Buffer.from(hex, 'hex'))
    throw new Error(`${file} is not a 32-byte hex key`)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const seed = randomBytes(32)
  await writeFile(file, seed.toString('hex') + '\n', { mode: 0o600, flag: 'wx' })
  return new Uint8Array(seed)
}

export async function relay(argv: string[], log: Logger): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      listen: { type: 'string', multiple: true },
      announce: { type: 'string', multiple: true },
      bootstrap: { type: 'string', multiple: true },
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      'allow-private-addresses': { type: 'boolean' },
      ...TURN_FLAGS
    },
    strict: true
  })
  const file = values.config ? await readConfig(values.config) : {}
  const port = values.port === undefined ? (file.port ?? 4001) : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`)
  const flags = RelayConfig.pick({ listen: true, announce: true, bootstrap: true }).parse({
    listen: values.listen,
    announce: values.announce,
    bootstrap: values.bootstrap
  })
  const dataDir = values['data-dir'] ?? file.dataDir ?? path.join(defaultDataDir(), 'relay')
  const listen = flags.listen ?? file.listen ?? relayListen(port)
  const announce = flags.announce ?? file.announce ?? []
  const allowPrivate = values['allow-private-addresses'] ?? file.allowPrivateAddresses ?? false
  const turnWanted = turnSettings(values, file.turn)
  const registrars = turnWanted.registrars?.map((id) => {
    try {
      return peerIdFromString(id).toString()
    } catch {
      throw new Error(`--ice-registrar ${id} is not a peer id`)
    }
  })

  // stdout: what people read and scripts parse; the addresses are the lines starting with "/".
  const say = (line: string) => process.stdout.write(line + '\n')
  const seed = await relaySeed(dataDir)
  await cleanUpStaleTurn(dataDir, log)
  const turn = await startRelayTurn(turnWanted, { listen, announce, allowPrivate, dataDir }, log, say)
  let node
  try {
    node = await createRelayNode({
      seed,
      listen,
      announce,
      bootstrap: flags.bootstrap ?? file.bootstrap,
      allowPrivateAddresses: allowPrivate,
      // Always answered: without TURN a member is told so, rather than left guessing.
      ice: {
        provider: { iceServers: () => turn?.iceServers() ?? null },
        ...(registrars ? { mayRegister: (peer) => registrars.includes(peer.toString()) } : {})
      },
      limits: {
        ...(file.maxReservations ? { maxReservations: file.maxReservations } : {}),
        ...(file.durationLimitSeconds ? { durationLimitMs: file.durationLimitSeconds * 1000 } : {}),
        ...(file.dataLimitBytes ? { dataLimitBytes: BigInt(file.dataLimitBytes) } : {})
      }
    })
  } catch (err) {
    await turn?.stop()
    throw err
  }
  const addrs = node.getMultiaddrs().map(String)
  if (addrs.length === 0) {
    await turn?.stop()
    throw new Error('the relay could not listen on any address')
  }
  say(`Digital You Meet relay ${node.peerId.toString()} listening on:\n${addrs.join('\n')}`)
  say("Add one of these addresses to the app's relays (and bootstrap) settings. Ready.")
  log.info(`relay data dir ${dataDir}`)

  // coturn is stopped beside libp2p, not after it: a libp2p stop cut short must not leave it running.
  stopOnSignals(async () => {
    await Promise.allSettled([node.stop(), turn?.stop()])
  }, log)
}
