import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { identify, identifyPush } from '@libp2p/identify'
import { FaultTolerance, type Libp2p, type Libp2pEvents, type Startable, type TypedEventTarget } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { RELAY_CONNECTION_MONITOR, RELAY_CONNECTIONS, RELAY_LIMITS } from './limits'
import { DYM_DHT_PROTOCOL, hasIPv6, privateKeyFromSeed } from './node'
import { iceService, type IceService, type IceServiceInit } from './protocols/ice/index'
import { autoNATWithFreshDialBacks } from './autonat'

export interface RelayNodeOptions {
  /** 32-byte seed of the relay's key: keep it, and the relay keeps its peer id (the address people configure). */
  seed: Uint8Array
  /** default: TCP `port` and WebSockets `port + 1` on every IPv4 and IPv6 interface */
  listen?: string[]
  port?: number
  announce?: string[]
  /** other relays, to share one DHT */
  bootstrap?: string[]
  /** keep private and loopback addresses in the DHT (a LAN relay, tests) */
  allowPrivateAddresses?: boolean
  limits?: Partial<typeof RELAY_LIMITS>
  /** STUN/TURN for members of meetings that name this relay (`/dym/ice/1.0.0`); absent: not offered. */
  ice?: IceServiceInit
}

export type RelayNode = Libp2p<{
  identify: unknown
  identifyPush: unknown
  ping: unknown
  autonat: unknown
  relay: CircuitRelayService
  dht: KadDHT
  ice?: IceService
  ownAddresses: unknown
}>

export function relayListen(port = 4001): string[] {
  const ws = port === 0 ? 0 : port + 1
  const addrs = [`/ip4/0.0.0.0/tcp/${port}`, `/ip4/0.0.0.0/tcp/${ws}/ws`]
  if (hasIPv6()) addrs.push(`/ip6/::/tcp/${port}`, `/ip6/::/tcp/${ws}/ws`)
  return addrs
}

/**
 * `dym relay`: a public node for people behind NATs. Circuit relay v2 with limits sized for
 * signalling (never media), a DHT server where members announce their rooms, a bootstrap
 * peer for the app's DHT, and (with `ice`) STUN/TURN credentials for the media of meetings
 * that name it.
 */
export async function createRelayNode(options: RelayNodeOptions): Promise<RelayNode> {
  const limits = { ...RELAY_LIMITS, ...options.limits }
  const node = await createLibp2p({
    privateKey: await privateKeyFromSeed(options.seed),
    addresses: { listen: options.listen ?? relayListen(options.port), announce: options.announce ?? [] },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
    connectionManager: RELAY_CONNECTIONS,
    connectionMonitor: RELAY_CONNECTION_MONITOR,
    peerDiscovery: options.bootstrap?.length ? [bootstrap({ list: options.bootstrap })] : [],
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      autonat: autoNATWithFreshDialBacks(),
      relay: circuitRelayServer({
        reservations: {
          maxReservations: limits.maxReservations,
          reservationTtl: limits.reservationTtlMs,
          defaultDurationLimit: limits.durationLimitMs,
          defaultDataLimit: limits.dataLimitBytes,
          applyDefaultLimit: true
        }
      }),
      dht: kadDHT({
        protocol: DYM_DHT_PROTOCOL,
        clientMode: false,
        peerInfoMapper: options.allowPrivateAddresses ? passthroughMapper : removePrivateAddressesMapper
      }),
      ownAddresses: (components: OwnAddressesComponents) => new OwnAddresses(components),
      ...(options.ice ? { ice: iceService(options.ice) } : {})
    }
  })
  return node as unknown as RelayNode
}

/**
 * libp2p announces a public listen address only once AutoNAT has had other peers dial it back.
 * Until then a relay on a public IP (its whole point) tells nobody where it is: it prints no
 * address, and reservations on it carry none, so nobody can be reached through it. A relay's
 * operator says by starting it that its addresses are public: take them as confirmed.
 */
interface OwnAddressesComponents {
  addressManager: AddressManager
  events: TypedEventTarget<Libp2pEvents>
}

class OwnAddresses implements Startable {
  readonly [Symbol.toStringTag] = '@dym/relay-own-addresses'
  constructor(private readonly components: OwnAddressesComponents) {
    this.confirm = this.confirm.bind(this)
  }

  // The transports start listening after the services have started: confirm as each one does.
  start(): void {
    this.components.events.addEventListener('transport:listening', this.confirm)
  }

  stop(): void {
    this.components.events.removeEventListener('transport:listening', this.confirm)
  }

  private confirm(): void {
    const manager = this.components.addressManager
    for (const address of manager.getAddressesWithMetadata()) {
      if (address.type === 'transport' && !address.verified) {
        manager.confirmObservedAddr(address.multiaddr, { type: 'transport', ttl: OWN_ADDRESS_TTL_MS })
      }
    }
  }
}

/** Long: AutoNAT checks them again meanwhile, and a relay that moved is restarted with new addresses. */
const OWN_ADDRESS_TTL_MS = 30 * 24 * 60 * 60_000
