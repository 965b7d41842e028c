import type { Reachability } from '../../../shared/contract/rooms'

/** Addresses only our own network can reach: private ranges, carrier NAT, loopback, link-local. */
const LOCAL_ONLY =
  /^\/ip4\/(10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|0\.)|^\/ip6\/(::1?\/|f[cd]|fe80:)/i

/**
 * Can people outside our network reach this device, from what the p2p node announces: libp2p
 * lists a public address only once it is a listen address on a public interface or confirmed
 * by others (AutoNAT, observed addresses), and a relayed address only while a relay holds a
 * reservation for us. Pure, so it is unit-tested.
 */
export function reachabilityOf(announced: readonly string[], relaysSet: number): Reachability {
  const direct = announced.some((a) => !a.includes('/p2p-circuit') && !LOCAL_ONLY.test(a) && /^\/(ip4|ip6|dns4|dns6|dns)\//.test(a))
  if (direct) return { kind: 'direct', text: 'People outside your network can reach you directly' }
  if (announced.some((a) => a.includes('/p2p-circuit')))
    return { kind: 'relay', text: 'People outside your network can reach you only through a relay' }
  if (relaysSet > 0)
    return {
      kind: 'relay-unreachable',
      text: 'Your relay cannot be reached right now: people outside your network cannot join until it answers'
    }
  return {
    kind: 'no-relay',
    text: 'No relay set: people outside your network cannot join (a relay in Settings, or in the invite you join with, fixes that)'
  }
}
