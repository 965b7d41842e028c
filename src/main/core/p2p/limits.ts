import type { ConnectionManagerInit } from 'libp2p'

/**
 * Connection limits, set on purpose: libp2p's defaults either break our case (5 inbound connections per second per host drops a room of people behind one NAT
 * arriving through one relay) or leave a dial hanging far longer than a person waits.
 */
export const APP_CONNECTIONS: ConnectionManagerInit = {
  // A meeting is a full mesh of at most a few dozen people; leave room for DHT and relays.
  maxConnections: 200,
  // Members behind one NAT (or all relayed through one relay) share a source address.
  inboundConnectionThreshold: 30,
  maxIncomingPendingConnections: 30,
  // Someone clicking "join" should hear within seconds whether an address works.
  dialTimeout: 10_000,
  addressDialTimeout: 6_000,
  maxParallelDials: 50,
  maxPeerAddrsToDial: 25,
  inboundUpgradeTimeout: 6_000
}

/** A public relay serves many people: more connections, the same per-host fairness. */
export const RELAY_CONNECTIONS: ConnectionManagerInit = {
  maxConnections: 1000,
  inboundConnectionThreshold: 50,
  maxIncomingPendingConnections: 100,
  dialTimeout: 10_000,
  addressDialTimeout: 6_000,
  inboundUpgradeTimeout: 6_000
}

/**
 * A relay still drops connections whose other end is gone (it pings each every 10 s), but gives
 * a ping 30 s, not libp2p's 5 s: a person's laptop that stalls a few seconds (a busy CPU, a
 * call starting) would otherwise lose its reservation and every relayed link of its meeting at
 * once, and nobody can reach it until it notices and reserves again.
 */
export const RELAY_CONNECTION_MONITOR = { pingTimeout: { minTimeout: 30_000, maxTimeout: 60_000 } }

/**
 * What a relay lets each reservation carry. Relayed connections carry room and signalling
 * frames only (media goes over WebRTC), but they are long-lived: libp2p's 2 min / 128 KiB
 * default ends a meeting's link mid-call. When a limit is hit the link ends cleanly and the
 * member reconnects (or DCUtR has moved it to a direct route already).
 */
export const RELAY_LIMITS = {
  maxReservations: 256,
  reservationTtlMs: 2 * 60 * 60_000,
  durationLimitMs: 30 * 60_000,
  dataLimitBytes: 4n * 1024n * 1024n
}
