import { MAX_INVITE_ADDRS } from '../../../shared/invite'

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
