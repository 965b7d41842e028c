import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { MAX_INVITE_ADDRS, MAX_INVITE_RELAYS, MAX_RELAY_ADDRS, type InviteRelay } from '../../../shared/invite'
import { lastPeerId } from '../p2p/addrs'

/**
 * Which of our addresses go in an invite, best first: public, then LAN, then through relays,
 * then loopback (only useful when everyone runs on one machine, as the tests do). Link-local
 * IPv6 addresses need a zone the other side cannot know: left out.
 */
export function orderInviteAddrs(addrs: string[]): string[] {
  const rank = (a: string): number => {
    if (a.includes('/p2p-circuit')) return 2
    if (/^\/ip6\/fe80:/i.test(a)) return 9
    if (/^\/ip4\/127\.|^\/ip6\/::1\//.test(a)) return 3
    if (/^\/ip4\/(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)|^\/ip6\/f[cd]/i.test(a)) return 1
    return 0
  }
  return [...new Set(addrs)]
    .filter((a) => rank(a) < 9)
    .sort((a, b) => rank(a) - rank(b))
    .slice(0, MAX_INVITE_ADDRS)
}

/**
 * Relays as settings hold them (multiaddrs ending in /p2p/<relay id>) grouped by relay; what is
 * not such an address is left out (settings were checked when saved).
 */
export function relaysFromAddrs(addrs: readonly string[]): InviteRelay[] {
  const relays: InviteRelay[] = []
  for (const text of addrs) {
    let ma: Multiaddr
    try {
      ma = multiaddr(text.replace(/\/$/, ''))
    } catch {
      continue
    }
    const peerId = lastPeerId(ma)
    if (!peerId || ma.toString().includes('/p2p-circuit')) continue
    relays.push({ peerId, addrs: [ma.toString()] })
  }
  return mergeRelays(relays)
}

/** The meeting's relays: the invite's first, then our own; each relay once, bounded as an invite is. */
export function mergeRelays(...lists: ReadonlyArray<readonly InviteRelay[]>): InviteRelay[] {
  const out: InviteRelay[] = []
  for (const relay of lists.flat()) {
    const known = out.find((r) => r.peerId === relay.peerId)
    if (known) {
      for (const a of relay.addrs) if (known.addrs.length < MAX_RELAY_ADDRS && !known.addrs.includes(a)) known.addrs.push(a)
    } else if (out.length < MAX_INVITE_RELAYS) out.push({ peerId: relay.peerId, addrs: relay.addrs.slice(0, MAX_RELAY_ADDRS) })
  }
  return out
}

/**
 * Every member reachable through every relay of the meeting too: a joiner behind a NAT with
 * no relay of its own dials the member's circuit address through the invite's relay, in the same
 * race as its direct addresses (`dialFastest`). Addresses already there are not repeated.
 */
export function withRelayRoutes(byPeer: Map<string, Multiaddr[]>, relays: readonly InviteRelay[]): Map<string, Multiaddr[]> {
  const out = new Map<string, Multiaddr[]>()
  for (const [peer, addrs] of byPeer) {
    const list = [...addrs]
    const seen = new Set(list.map(String))
    for (const relay of relays) {
      if (relay.peerId === peer) continue
      const first = relay.addrs[0]
      if (!first) continue
      const text = `${first}/p2p-circuit/p2p/${peer}`
      if (seen.has(text)) continue
      seen.add(text)
      list.push(multiaddr(text))
    }
    out.set(peer, list)
  }
  return out
}
