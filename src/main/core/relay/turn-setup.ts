import { accessSync, constants } from 'node:fs'
import { isIP, isIPv6 } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { isPrivateIp } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'

/** `turnserver` (Debian's coturn) on the PATH or where Debian puts it; null when not installed. */
export function findTurnServer(pathEnv = process.env.PATH ?? ''): string | null {
  const dirs = [...pathEnv.split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/sbin', '/usr/local/bin']
  return dirs.map((dir) => path.join(dir, 'turnserver')).find(isExecutable) ?? null
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export const TURN_MISSING =
  'TURN is off: coturn is not installed (no turnserver). People behind strict NATs or firewalls cannot get their video through this relay. Install it (Debian/Ubuntu: apt-get install coturn) and start the relay again, or pass --no-turn to silence this.'

/** The IPs of these multiaddrs; wildcard ones (0.0.0.0, ::) become this machine's interface addresses. */
export function ipsOf(addrs: string[], interfaces = os.networkInterfaces()): string[] {
  const ips = new Set<string>()
  for (const text of addrs) {
    let host: string
    try {
      const first = multiaddr(text).getComponents()[0]
      if (!first || (first.name !== 'ip4' && first.name !== 'ip6') || !first.value) continue
      host = first.value
    } catch {
      continue
    }
    if (host === '0.0.0.0' || host === '::') {
      for (const list of Object.values(interfaces)) {
        for (const i of list ?? []) if (isIPv6(i.address) === (host === '::')) ips.add(i.address)
      }
    } else ips.add(host)
  }
  return [...ips].filter((ip) => isIP(ip) !== 0 && !/^fe80:/i.test(ip))
}

export function isPublicIp(ip: string): boolean {
  return isPrivateIp(ip) !== true
}

/**
 * Where TURN listens and what its URLs name. Explicit IPs win. Else, when the relay announces
 * public addresses (it sits behind a 1:1 NAT, as cloud VMs do), coturn listens on the machine's
 * own addresses and tells clients the announced ones; else it listens on, and names, the public
 * addresses the relay listens on. Private and loopback addresses only with `allowPrivate` (a LAN
 * relay, tests): a TURN URL with a private address is useless to people outside.
 */
export function turnAddresses(options: {
  listen: string[]
  announce: string[]
  ips?: string[]
  publicIps?: string[]
  allowPrivate: boolean
  interfaces?: ReturnType<typeof os.networkInterfaces>
}): { listenIps: string[]; publicIps: string[] } {
  const usable = (ip: string) => options.allowPrivate || isPublicIp(ip)
  const announced = options.publicIps ?? ipsOf(options.announce, options.interfaces).filter(usable)
  if (options.ips?.length) return { listenIps: options.ips, publicIps: announced }
  const local = ipsOf(options.listen, options.interfaces).filter((ip) => options.allowPrivate || !/^(127\.|::1$)/.test(ip))
  if (announced.length > 0) return { listenIps: local, publicIps: announced }
  return { listenIps: local.filter(usable), publicIps: [] }
}
