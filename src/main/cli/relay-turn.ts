import { createSocket } from 'node:dgram'
import { readdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../core/log'
import { DEFAULT_QUOTAS, DEFAULT_RELAY_PORTS, DEFAULT_TURN_PORT, DEFAULT_TURN_TLS_PORT, type TurnConfig } from '../core/relay/turn-config'
import { TurnServer } from '../core/relay/turn-server'
import { findTurnServer, isExecutable, TURN_MISSING, turnAddresses } from '../core/relay/turn-setup'

export const TURN_OPTIONS = `TURN options (STUN and TURN for the media of meetings that name this relay, by a supervised coturn):
  --no-turn                   do not offer TURN (default: on when coturn's turnserver is installed)
  --turn-binary FILE          the coturn turnserver to run (default: turnserver on the PATH)
  --turn-port N               STUN/TURN port, UDP and TCP (default ${DEFAULT_TURN_PORT}; 0 = a free one)
  --turn-ip IP                address TURN listens on and names (repeatable; default: the relay's public addresses)
  --turn-public-ip IP         the public address in front of a 1:1 NAT (default: the --announce addresses)
  --turn-cert FILE --turn-key FILE --turn-host NAME
                              TURN over TLS for networks that let only HTTPS out (turns:NAME:443)
  --turn-tls-port N           TLS port (default ${DEFAULT_TURN_TLS_PORT})
  --turn-relay-ports MIN-MAX  ports for relayed media (default ${DEFAULT_RELAY_PORTS.min}-${DEFAULT_RELAY_PORTS.max})
  --turn-ttl SECONDS          how long a handed-out credential lives (default 3600, 60-86400)
  --ice-registrar PEERID      only these devices may name this relay in new meetings (repeatable; default: anyone)
`

const Ip = z.string().min(2).max(64)
export const TurnFileConfig = z
  .object({
    enabled: z.boolean().optional(),
    binary: z.string().max(4096).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    ips: z.array(Ip).max(16).optional(),
    publicIps: z.array(Ip).max(16).optional(),
    cert: z.string().max(4096).optional(),
    key: z.string().max(4096).optional(),
    host: z.string().max(253).optional(),
    tlsPort: z.number().int().min(1).max(65535).optional(),
    relayPorts: z
      .string()
      .regex(/^\d{1,5}-\d{1,5}$/)
      .optional(),
    ttlSeconds: z.number().int().min(60).max(86_400).optional(),
    registrars: z.array(z.string().min(10).max(128)).max(1000).optional()
  })
  .strict()
export type TurnFileConfig = z.infer<typeof TurnFileConfig>

export const TURN_FLAGS = {
  'no-turn': { type: 'boolean' },
  'turn-binary': { type: 'string' },
  'turn-port': { type: 'string' },
  'turn-ip': { type: 'string', multiple: true },
  'turn-public-ip': { type: 'string', multiple: true },
  'turn-cert': { type: 'string' },
  'turn-key': { type: 'string' },
  'turn-host': { type: 'string' },
  'turn-tls-port': { type: 'string' },
  'turn-relay-ports': { type: 'string' },
  'turn-ttl': { type: 'string' },
  'ice-registrar': { type: 'string', multiple: true }
} as const

export interface TurnFlags {
  'no-turn'?: boolean
  'turn-binary'?: string
  'turn-port'?: string
  'turn-ip'?: string[]
  'turn-public-ip'?: string[]
  'turn-cert'?: string
  'turn-key'?: string
  'turn-host'?: string
  'turn-tls-port'?: string
  'turn-relay-ports'?: string
  'turn-ttl'?: string
  'ice-registrar'?: string[]
}

/** Flags win over the config file; checked here, so a typo stops the relay with a clear message. */
export function turnSettings(flags: TurnFlags, file: TurnFileConfig = {}) {
  const int = (name: string, value: string | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be ${min}-${max}, got ${value}`)
    return n
  }
  const ports = flags['turn-relay-ports'] ?? file.relayPorts
  let relayPorts = DEFAULT_RELAY_PORTS
  if (ports !== undefined) {
    const [min, max] = ports.split('-').map(Number)
    if (!min || !max || min < 1024 || max > 65535 || max - min < 16)
      throw new Error(`--turn-relay-ports must be MIN-MAX within 1024-65535, got ${ports}`)
    relayPorts = { min, max }
  }
  const cert = flags['turn-cert'] ?? file.cert
  const key = flags['turn-key'] ?? file.key
  const host = flags['turn-host'] ?? file.host
  if ((cert || key || host) && !(cert && key && host))
    throw new Error('TURN over TLS needs all three: --turn-cert, --turn-key and --turn-host')
  return {
    enabled: !(flags['no-turn'] ?? file.enabled === false),
    binary: flags['turn-binary'] ?? file.binary,
    port: int('turn-port', flags['turn-port'], file.port ?? DEFAULT_TURN_PORT, 0, 65535),
    ips: flags['turn-ip'] ?? file.ips,
    publicIps: flags['turn-public-ip'] ?? file.publicIps,
    tls:
      cert && key && host
        ? {
            cert: path.resolve(cert),
            key: path.resolve(key),
            host,
            port: int('turn-tls-port', flags['turn-tls-port'], file.tlsPort ?? DEFAULT_TURN_TLS_PORT, 1, 65535)
          }
        : undefined,
    relayPorts,
    ttlSeconds: int('turn-ttl', flags['turn-ttl'], file.ttlSeconds ?? 3600, 60, 86_400),
    registrars: flags['ice-registrar'] ?? file.registrars
  }
}
export type TurnSettings = ReturnType<typeof turnSettings>

/**
 * Start the relay's coturn if it can run; otherwise say why in one line and go on without
 * TURN (the relay's other services do not need it). Returns the server, or null.
 */
export async function startRelayTurn(
  settings: TurnSettings,
  relay: { listen: string[]; announce: string[]; allowPrivate: boolean; dataDir: string },
  log: Logger,
  say: (line: string) => void
): Promise<TurnServer | null> {
  if (!settings.enabled) return null
  const binary = settings.binary ? (isExecutable(settings.binary) ? settings.binary : null) : findTurnServer()
  if (!binary) {
    say(TURN_MISSING)
    return null
  }
  const { listenIps, publicIps } = turnAddresses({
    listen: relay.listen,
    announce: relay.announce,
    ips: settings.ips,
    publicIps: settings.publicIps,
    allowPrivate: relay.allowPrivate
  })
  if (listenIps.length === 0) {
    say(
      'TURN is off: this relay listens on no public address. Give it one with --turn-ip or --announce (or --allow-private-addresses for a LAN relay).'
    )
    return null
  }
  const port = settings.port === 0 ? await freePort(listenIps[0]!) : settings.port
  // Another TURN server on the port (Debian's coturn service, say) would answer our readiness
  // probe and then refuse every credential we hand out: say so instead.
  for (const ip of listenIps) {
    if (!(await portFree(ip, port))) {
      say(`TURN is off: port ${port} is taken on ${ip} (another TURN server?). Stop it, or give this relay another --turn-port.`)
      return null
    }
  }
  const config: TurnConfig = {
    listenIps,
    publicIps,
    port,
    ...(settings.tls ? { tls: settings.tls } : {}),
    relayPorts: settings.relayPorts,
    allowPrivatePeers: relay.allowPrivate,
    quotas: DEFAULT_QUOTAS
  }
  const turn = new TurnServer({
    binary,
    workDir: path.join(relay.dataDir, `turn-${process.pid}`),
    config,
    log: log.child('turn'),
    credentialTtlSeconds: settings.ttlSeconds
  })
  try {
    await turn.start()
  } catch (err) {
    say(`TURN is off: coturn did not start: ${err instanceof Error ? err.message : String(err)}`)
    await turn.stop().catch(() => undefined)
    return null
  }
  const named = publicIps.length > 0 ? publicIps : listenIps
  const tls = settings.tls ? `, turns:${settings.tls.host}:${settings.tls.port} (TLS)` : ''
  say(
    `TURN on ${named.map((ip) => (ip.includes(':') ? `[${ip}]` : ip)).join(', ')} port ${config.port} (UDP and TCP)${tls}; credentials last ${settings.ttlSeconds} s.`
  )
  return turn
}

/** A port free for both UDP and TCP on this address (coturn takes both). */
async function freePort(ip: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = createSocket(ip.includes(':') ? 'udp6' : 'udp4')
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject)
      udp.bind(0, ip, () => resolve((udp.address() as AddressInfo).port))
    })
    const free = await tcpFree(ip, port)
    await new Promise<void>((resolve) => udp.close(() => resolve()))
    if (free) return port
  }
  throw new Error(`no free port for TURN on ${ip}`)
}

async function portFree(ip: string, port: number): Promise<boolean> {
  const udp = createSocket(ip.includes(':') ? 'udp6' : 'udp4')
  const udpFree = await new Promise<boolean>((resolve) => {
    udp.once('error', () => resolve(false))
    udp.bind(port, ip, () => resolve(true))
  })
  try {
    udp.close()
  } catch {
    // never bound
  }
  return udpFree && (await tcpFree(ip, port))
}

function tcpFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, ip, () => server.close(() => resolve(true)))
  })
}

/**
 * A relay that was killed (SIGKILL, power cut) leaves its coturn running with a secret nobody
 * knows any more, holding the TURN port. Its folder `turn-<relay pid>` names it: if that relay
 * is gone, stop the coturn whose pid it recorded (only if that pid is still a turnserver).
 */
export async function cleanUpStaleTurn(dataDir: string, log: Logger): Promise<void> {
  let entries: string[]
  try {
    entries = await readdir(dataDir)
  } catch {
    return
  }
  for (const entry of entries) {
    const relayPid = Number(/^turn-(\d+)$/.exec(entry)?.[1])
    if (!relayPid || relayPid === process.pid || isAlive(relayPid)) continue
    const dir = path.join(dataDir, entry)
    const turnPid = Number((await readFile(path.join(dir, 'turnserver.pid'), 'utf8').catch(() => '')).trim())
    const comm = turnPid ? (await readFile(`/proc/${turnPid}/comm`, 'utf8').catch(() => '')).trim() : ''
    if (comm === 'turnserver') {
      log.warn(`stopping coturn ${turnPid} left behind by relay ${relayPid}`)
      try {
        process.kill(turnPid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
    await rm(dir, { recursive: true, force: true })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
