/**
 * The lab's address plan.
 *
 * The "internet" segment uses 6.0.0.0/24, a globally allocated block, on purpose: libp2p treats
 * every reserved IPv4 block as private (RFC 1918, 100.64/10, 198.18/15 and all three TEST-NETs:
 * `PRIVATE_IP_RANGES` in @libp2p/utils), and a node ignores private observed addresses
 * (identify), never confirms them (AutoNAT) and never hole-punches to them (DCUtR). With such
 * addresses the lab would test other code paths than a real home user's. None of these
 * behaviours can be configured, so the lab does not try to allow private addresses.
 *
 * Nothing can reach the real holder of 6.0.0.0/8: the lab's namespaces have no link to this
 * machine's network at all (no veth into the root namespace, no route out). Every namespace's
 * default route leads to the segment's "world" gateway, which counts and drops whatever is
 * addressed outside the lab, so a test can assert that nothing tried to leave (public STUN
 * servers, DNS lookups: each namespace's resolver is out in that world too).
 *
 * Home LANs use 192.168.x.0/24, as real homes do; routers drop traffic to private addresses
 * that are not theirs silently, as an ISP does.
 */
export const INTERNET = { subnet: '6.0.0.0/24', prefix: 24, gateway: '6.0.0.1' }
/**
 * The segment's IPv6 side, for IPv6-only machines: a global unicast prefix (libp2p treats
 * documentation and unique-local prefixes as private, as it does reserved IPv4 blocks), just as
 * unreachable from the lab's namespaces as the rest of the world. Off until a lab asks for it.
 */
export const INTERNET6 = { subnet: '2a00:6::/64', prefix: 64, gateway: '2a00:6::1' }
export const publicHostIp6 = (index: number): string => `2a00:6::${(0x200 + index).toString(16)}`
export const relayIp6 = (index: number): string => `2a00:6::${(0x10 + index).toString(16)}`

/** A resolver and a probe target "out in the world": never answered, always counted. */
export const WORLD_RESOLVER = '6.0.1.53'
export const WORLD_PROBE = '6.0.1.1'

export const relayIp = (index: number): string => `6.0.0.${10 + index}`
export const routerWanIp = (index: number): string => `6.0.0.${100 + index}`
export const publicHostIp = (index: number): string => `6.0.0.${200 + index}`
export const lanSubnet = (index: number): { router: string; host: string; subnet: string } => ({
  router: `192.168.${10 + index}.1`,
  host: `192.168.${10 + index}.2`,
  subnet: `192.168.${10 + index}.0/24`
})

/** Dropped by home routers (an ISP would not route them): other people's LANs, carrier NAT space, link-local. */
export const UNROUTABLE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']
