import { isIPv6 } from 'node:net'

/** What `dym relay` tells coturn, and what it tells the app (the ICE server URLs). */
export interface TurnConfig {
  /** Addresses coturn listens and relays on; the URLs handed out name them (or `publicIps`). */
  listenIps: string[]
  /** What clients are told when the relay sits behind a 1:1 NAT (a cloud VM): its public addresses. */
  publicIps?: string[]
  /** STUN and TURN over UDP and TCP. */
  port: number
  /** TURN over TLS (for networks that only let HTTPS out): needs a certificate for `host`. */
  tls?: { cert: string; key: string; port: number; host: string }
  /** Ports coturn allocates relayed addresses from. */
  relayPorts: { min: number; max: number }
  /** Let peers on private and loopback addresses be relayed to (a LAN relay, tests). Off: coturn cannot be used to reach the relay's own network. */
  allowPrivatePeers: boolean
  /** Concurrent allocations per credential and in total, and bytes per second per allocation. */
  quotas: { perCredential: number; total: number; bytesPerSecond: number }
}

export const DEFAULT_TURN_PORT = 3478
export const DEFAULT_TURN_TLS_PORT = 443
export const DEFAULT_RELAY_PORTS = { min: 49152, max: 65535 }
/** A 720p call is ~2.5 Mbit/s each way; a few streams per allocation at most. */
export const DEFAULT_QUOTAS = { perCredential: 12, total: 2000, bytesPerSecond: 3_000_000 }

/**
 * Peer ranges coturn refuses to relay to unless private peers are allowed: without this a TURN
 * credential is a way into the relay's own LAN or its cloud's metadata service.
 */
const DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '240.0.0.0-255.255.255.255',
  '::1',
  '::ffff:0.0.0.0-::ffff:255.255.255.255',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
]

/**
 * coturn's configuration file. The shared secret goes here (a 0600 file in the relay's data
 * dir), never on the command line, where every local user could read it in `ps`.
 */
export function coturnConfigFile(config: TurnConfig, secret: string, files: { pid: string; db: string }): string {
  const lines = [
    `listening-port=${config.port}`,
    ...config.listenIps.map((ip) => `listening-ip=${ip}`),
    ...config.listenIps.map((ip) => `relay-ip=${ip}`),
    ...externalIps(config).map((mapping) => `external-ip=${mapping}`),
    `min-port=${config.relayPorts.min}`,
    `max-port=${config.relayPorts.max}`,
    'realm=dym',
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'fingerprint',
    'no-cli',
    'no-dtls',
    'no-software-attribute',
    'no-multicast-peers',
    'no-rfc5780',
    `user-quota=${config.quotas.perCredential}`,
    `total-quota=${config.quotas.total}`,
    `max-bps=${config.quotas.bytesPerSecond}`,
    'stale-nonce=600',
    `pidfile=${files.pid}`,
    `userdb=${files.db}`,
    'log-file=stdout',
    'simple-log'
  ]
  if (config.tls)
    lines.push(`tls-listening-port=${config.tls.port}`, `cert=${config.tls.cert}`, `pkey=${config.tls.key}`, 'no-tlsv1', 'no-tlsv1_1')
  else lines.push('no-tls')
  if (config.allowPrivatePeers) lines.push('allow-loopback-peers')
  else lines.push(...DENIED_PEER_RANGES.map((range) => `denied-peer-ip=${range}`))
  return lines.join('\n') + '\n'
}

/** coturn's `external-ip=PUBLIC/PRIVATE`, pairing each public address with a listen address of its family. */
function externalIps(config: TurnConfig): string[] {
  if (!config.publicIps?.length) return []
  const out: string[] = []
  for (const publicIp of config.publicIps) {
    const local = config.listenIps.find((ip) => isIPv6(ip) === isIPv6(publicIp))
    if (local && local !== publicIp) out.push(`${publicIp}/${local}`)
  }
  return out
}

/** What `RTCPeerConnection` takes, and the contract's IceServer (urls as a list). */
export interface IceServerEntry {
  urls: string[]
  username?: string
  credential?: string
}

/** The relay's STUN server and its TURN server with one credential. */
export function iceServersFor(config: TurnConfig, credential: { username: string; credential: string }): IceServerEntry[] {
  const hosts = (config.publicIps?.length ? config.publicIps : config.listenIps).map((ip) => (isIPv6(ip) ? `[${ip}]` : ip))
  const turn = hosts.flatMap((h) => [`turn:${h}:${config.port}?transport=udp`, `turn:${h}:${config.port}?transport=tcp`])
  if (config.tls) turn.push(`turns:${config.tls.host}:${config.tls.port}?transport=tcp`)
  return [
    { urls: hosts.map((h) => `stun:${h}:${config.port}`) },
    { urls: turn, username: credential.username, credential: credential.credential }
  ]
}
