import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { INTERNET, INTERNET6, lanSubnet, publicHostIp, relayIp, routerWanIp, UNROUTABLE, WORLD_RESOLVER } from './addresses'
import { nsh, sh } from './shell'

/**
 * What sits between a participant and the internet segment:
 * - `none`: nothing, a public address on the segment itself;
 * - `full-cone`: endpoint-independent mapping and filtering (any outside host may send to a
 *   mapped port: MASQUERADE keeping the port, plus inbound UDP forwarded to the one LAN host);
 * - `port-restricted`: plain MASQUERADE (endpoint-independent mapping, replies only from the
 *   exact address and port we sent to), what most home routers do;
 * - `symmetric`: a new random port for every destination (`--random-fully`): STUN's answer is
 *   useless to anyone else, only TURN gets through two of them;
 * - `udp-blocked`: a firewall that lets TCP out and no UDP at all.
 */
export type NatKind = 'none' | 'full-cone' | 'port-restricted' | 'symmetric' | 'udp-blocked'
export const NAT_KINDS: readonly NatKind[] = ['none', 'full-cone', 'port-restricted', 'symmetric', 'udp-blocked']

const NETNS_ETC = '/etc/netns'

/** Namespace names of one lab run: `dymlab-<pid>-<name>`, so a later run can tell stale ones. */
export const LAB_NS_PREFIX = 'dymlab-'
export function nsName(runId: string, name: string): string {
  return `${LAB_NS_PREFIX}${runId}-${name}`
}

function addNamespace(ns: string): void {
  sh('ip', ['netns', 'add', ns])
  sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
  // `ip netns exec` puts this over /etc/resolv.conf: the resolver is out in the lab's world, so
  // a DNS lookup is a packet the world gateway counts, never one that leaves the machine.
  mkdirSync(path.join(NETNS_ETC, ns), { recursive: true })
  writeFileSync(path.join(NETNS_ETC, ns, 'resolv.conf'), `nameserver ${WORLD_RESOLVER}\noptions timeout:1 attempts:1\n`)
}

export function removeNamespace(ns: string): void {
  for (const pid of sh('ip', ['netns', 'pids', ns], { allowFail: true }).split('\n').filter(Boolean)) {
    // Only processes inside our own namespace: what the lab started there (Chromium helpers, say).
    try {
      process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone
    }
  }
  sh('ip', ['netns', 'del', ns], { allowFail: true })
  rmSync(path.join(NETNS_ETC, ns), { recursive: true, force: true })
}

/** The internet segment: a bridge, and on it the world gateway that counts and drops what leaves. */
export function createInternet(ns: string): void {
  addNamespace(ns)
  sh('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge'])
  sh('ip', ['-n', ns, 'addr', 'add', `${INTERNET.gateway}/${INTERNET.prefix}`, 'dev', 'br0'])
  sh('ip', ['-n', ns, 'link', 'set', 'br0', 'up'])
  nsh(ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=0'])
  // raw PREROUTING sees every packet routed to the gateway (lab traffic itself is bridged past
  // it). Lab addresses and link-local multicast pass; the last rule's counters are the leaks.
  for (const dest of [INTERNET.subnet, '224.0.0.0/4', '255.255.255.255']) {
    nsh(ns, 'iptables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-d', dest, '-j', 'ACCEPT'])
  }
  // What an ISP drops is dropped here without counting: a machine with a public address checks
  // the LAN candidates of the people it calls (ICE tries every candidate), and those addresses
  // are the lab's own home networks, which nothing on the segment can reach.
  for (const dest of UNROUTABLE) nsh(ns, 'iptables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-d', dest, '-j', 'DROP'])
  nsh(ns, 'iptables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-j', 'NFLOG', '--nflog-group', String(LEAK_NFLOG_GROUP)])
  nsh(ns, 'iptables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-j', 'DROP'])
}

/**
 * The segment's IPv6 side: the gateway gets an address in the lab's prefix and the same rules
 * as for IPv4 (lab, link-local and multicast pass; the rest is logged and counted as a leak).
 */
export function enableInternet6(ns: string): void {
  sh('ip', ['-n', ns, 'addr', 'add', `${INTERNET6.gateway}/${INTERNET6.prefix}`, 'dev', 'br0', 'nodad'])
  nsh(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.forwarding=0'])
  for (const dest of [INTERNET6.subnet, 'fe80::/10', 'ff00::/8']) {
    nsh(ns, 'ip6tables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-d', dest, '-j', 'ACCEPT'])
  }
  nsh(ns, 'ip6tables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-j', 'NFLOG', '--nflog-group', String(LEAK_NFLOG_GROUP)])
  nsh(ns, 'ip6tables', ['-t', 'raw', '-A', 'PREROUTING', '-i', 'br0', '-j', 'DROP'])
}

/** A machine on the segment with an IPv6 address only (no IPv4 at all besides its own loopback). */
export function createPublicHost6(internetNs: string, ns: string, port: string, ip: string): void {
  addNamespace(ns)
  plugIntoInternet(internetNs, ns, 'eth0', port)
  // nodad: usable at once instead of after duplicate address detection.
  sh('ip', ['-n', ns, '-6', 'addr', 'add', `${ip}/${INTERNET6.prefix}`, 'dev', 'eth0', 'nodad'])
  sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up'])
  sh('ip', ['-n', ns, '-6', 'route', 'add', 'default', 'via', INTERNET6.gateway])
}

/** The netlink log group the world gateway copies leaked packets to (per namespace). */
export const LEAK_NFLOG_GROUP = 1

/** Packets and bytes that tried to leave the lab (for a public address outside it) since the last reset. */
export function leakCounters(internetNs: string): { packets: number; bytes: number } {
  const total = { packets: 0, bytes: 0 }
  for (const tool of ['iptables', 'ip6tables']) {
    // allowFail: the IPv6 raw table exists only once a lab turned its IPv6 side on.
    const lines = nsh(internetNs, tool, ['-t', 'raw', '-L', 'PREROUTING', '-nvx'], { allowFail: tool === 'ip6tables' }).split('\n')
    // The last DROP is the catch-all; the ones before it drop what an ISP would, uncounted.
    const drop = lines.filter((l) => /\sDROP\s/.test(l)).pop()
    const [packets, bytes] = (drop ?? '0 0').trim().split(/\s+/).map(Number)
    total.packets += packets ?? 0
    total.bytes += bytes ?? 0
  }
  return total
}

export function resetLeakCounters(internetNs: string): void {
  nsh(internetNs, 'iptables', ['-t', 'raw', '-Z', 'PREROUTING'])
  nsh(internetNs, 'ip6tables', ['-t', 'raw', '-Z', 'PREROUTING'], { allowFail: true })
}

/** A veth from `ns` (as `ifName`) into the internet bridge (as `port`). */
function plugIntoInternet(internetNs: string, ns: string, ifName: string, port: string): void {
  sh('ip', ['link', 'add', ifName, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', internetNs])
  sh('ip', ['-n', internetNs, 'link', 'set', port, 'master', 'br0'])
  sh('ip', ['-n', internetNs, 'link', 'set', port, 'up'])
}

/** A machine with a public address on the internet segment (a relay, a participant without NAT). */
export function createPublicHost(internetNs: string, ns: string, port: string, ip: string): void {
  addNamespace(ns)
  plugIntoInternet(internetNs, ns, 'eth0', port)
  sh('ip', ['-n', ns, 'addr', 'add', `${ip}/${INTERNET.prefix}`, 'dev', 'eth0'])
  sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'up'])
  sh('ip', ['-n', ns, 'route', 'add', 'default', 'via', INTERNET.gateway])
}

export interface HomeNetwork {
  router: string
  host: string
  wanIp: string
  lanIp: string
}

/** A home router of the given kind with one LAN host behind it. */
export function createHome(
  internetNs: string,
  routerNs: string,
  hostNs: string,
  index: number,
  kind: Exclude<NatKind, 'none'>
): HomeNetwork {
  const lan = lanSubnet(index)
  const wanIp = routerWanIp(index)
  addNamespace(routerNs)
  plugIntoInternet(internetNs, routerNs, 'wan', `r${index}`)
  sh('ip', ['-n', routerNs, 'addr', 'add', `${wanIp}/${INTERNET.prefix}`, 'dev', 'wan'])
  sh('ip', ['-n', routerNs, 'link', 'set', 'wan', 'up'])
  sh('ip', ['-n', routerNs, 'route', 'add', 'default', 'via', INTERNET.gateway])

  addNamespace(hostNs)
  sh('ip', ['link', 'add', 'lan', 'netns', routerNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', hostNs])
  sh('ip', ['-n', routerNs, 'addr', 'add', `${lan.router}/24`, 'dev', 'lan'])
  sh('ip', ['-n', routerNs, 'link', 'set', 'lan', 'up'])
  sh('ip', ['-n', hostNs, 'addr', 'add', `${lan.host}/24`, 'dev', 'eth0'])
  sh('ip', ['-n', hostNs, 'link', 'set', 'eth0', 'up'])
  sh('ip', ['-n', hostNs, 'route', 'add', 'default', 'via', lan.router])

  const ipt = (...args: string[]) => nsh(routerNs, 'iptables', args)
  nsh(routerNs, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1'])
  ipt('-P', 'FORWARD', 'DROP')
  ipt('-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
  for (const range of UNROUTABLE) ipt('-A', 'FORWARD', '-i', 'lan', '-o', 'wan', '-d', range, '-j', 'DROP')
  if (kind === 'udp-blocked') ipt('-A', 'FORWARD', '-i', 'lan', '-o', 'wan', '-p', 'udp', '-j', 'DROP')
  ipt('-A', 'FORWARD', '-i', 'lan', '-o', 'wan', '-j', 'ACCEPT')
  ipt('-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...(kind === 'symmetric' ? ['--random-fully'] : []))
  if (kind === 'full-cone') {
    ipt('-t', 'nat', '-A', 'PREROUTING', '-i', 'wan', '-p', 'udp', '-j', 'DNAT', '--to-destination', lan.host)
    ipt('-A', 'FORWARD', '-i', 'wan', '-o', 'lan', '-p', 'udp', '-d', lan.host, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT')
  }
  return { router: routerNs, host: hostNs, wanIp, lanIp: lan.host }
}

export { publicHostIp, relayIp }
