import os from 'node:os'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { dcutr } from '@libp2p/dcutr'
import { identify, identifyPush } from '@libp2p/identify'
import { FaultTolerance, type Libp2p, type PrivateKey } from '@libp2p/interface'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper, type KadDHT } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { ping, type Ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p, type Libp2pOptions } from 'libp2p'
import { APP_CONNECTIONS } from './limits'
import { relayReservations, type RelayReservations } from './relay-reservations'
import { roomProtocol, type RoomProtocol, type RoomProtocolInit } from './protocols/room/index'
import { signalProtocol, type SignalProtocol, type SignalProtocolInit } from './protocols/signal/index'
import { fileProtocol, type FileProtocol, type FileProtocolInit } from './protocols/file/index'
import { inviteProtocol, type InviteProtocol, type InviteProtocolInit } from './protocols/invite/index'
import { autoNATWithFreshDialBacks } from './autonat'
import { ownAddrs, type OwnAddrs } from './own-addrs'

/** Our own DHT: only Digital You Meet nodes and relays speak it, so lookups never wander the IPFS network. */
export const DYM_DHT_PROTOCOL = '/dym/kad/1.0.0'

/** The network settings a node is built from (the settings service supplies them). */
export interface NetworkOptions {
  /** Multiaddrs to listen on; default: TCP on every IPv4 and IPv6 interface, random ports. */
  listen?: string[]
  /** Extra addresses to tell others (a forwarded port on a public IP, say). */
  announce?: string[]
  /** Peers to connect to at start (usually `dym relay` nodes): they answer DHT lookups. */
  bootstrap?: string[]
  /** `dym relay` nodes to hold a reservation on, so people behind NATs can reach us through them. */
  relays?: string[]
  /** Find members on the local network; `serviceTag` keeps separate test swarms apart. */
  mdns?: false | { serviceTag?: string; intervalMs?: number }
  /** Announce and look up rooms in the DHT; `server` only for nodes others can reach (relays). */
  dht?: 'client' | 'server' | 'off'
  /** Keep private and loopback addresses in the DHT (a LAN-only swarm, tests). */
  dhtPrivateAddresses?: boolean
}

export type AppServices = {
  identify: unknown
  identifyPush: unknown
  ping: Ping
  autonat: unknown
  dcutr: unknown
  dht?: KadDHT
  room: RoomProtocol
  signal: SignalProtocol
  file: FileProtocol
  invite: InviteProtocol
  reservations: RelayReservations
  ownAddrs: OwnAddrs
}
export type AppNode = Libp2p<AppServices>

export interface AppNodeOptions {
  /** The device key's 32-byte Ed25519 seed: the libp2p identity. */
  seed: Uint8Array
  network: NetworkOptions
  room: RoomProtocolInit
  signal: SignalProtocolInit
  file: FileProtocolInit
  /** default: a node in no meeting, which answers no short code */
  invite?: InviteProtocolInit
}

export function hasIPv6(): boolean {
  return Object.values(os.networkInterfaces()).some((list) => list?.some((i) => i.family === 'IPv6'))
}

export function defaultListen(): string[] {
  const addrs = ['/ip4/0.0.0.0/tcp/0']
  if (hasIPv6()) addrs.push('/ip6/::/tcp/0')
  return addrs
}

export async function privateKeyFromSeed(seed: Uint8Array): Promise<PrivateKey> {
  if (seed.length !== 32) throw new Error(`the device key seed must be 32 bytes, got ${seed.length}`)
  return generateKeyPairFromSeed('Ed25519', seed)
}

/** The app's libp2p node: the device key as identity, the room and signalling protocols, discovery. */
export async function createAppNode(options: AppNodeOptions): Promise<AppNode> {
  const net = options.network
  const relays = net.relays ?? []
  const listen = [...(net.listen ?? defaultListen()), ...relays.map((r) => `${r.replace(/\/$/, '')}/p2p-circuit`)]
  const discovery: Array<NonNullable<Libp2pOptions['peerDiscovery']>[number]> = []
  const bootstrapList = [...new Set([...(net.bootstrap ?? []), ...relays])]
  if (bootstrapList.length > 0) discovery.push(bootstrap({ list: bootstrapList, timeout: 200 }))
  if (net.mdns !== false) {
    const m = net.mdns ?? {}
    discovery.push(mdns({ serviceTag: m.serviceTag ?? 'dym-meet.local', interval: m.intervalMs ?? 10_000 }))
  }

  const services = {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    autonat: autoNATWithFreshDialBacks(),
    dcutr: dcutr(),
    room: roomProtocol(options.room),
    signal: signalProtocol(options.signal),
    file: fileProtocol(options.file),
    invite: inviteProtocol(options.invite ?? { host: { current: () => null } }),
    reservations: relayReservations(),
    ownAddrs: ownAddrs(),
    ...(net.dht === 'off'
      ? {}
      : {
          dht: kadDHT({
            protocol: DYM_DHT_PROTOCOL,
            clientMode: net.dht !== 'server',
            peerInfoMapper: net.dhtPrivateAddresses ? passthroughMapper : removePrivateAddressesMapper,
            allowQueryWithZeroPeers: true
          })
        })
  }

  let isBanned = (_peer: string): boolean => false
  const node = await createLibp2p({
    privateKey: await privateKeyFromSeed(options.seed),
    addresses: { listen, announce: net.announce ?? [] },
    transports: [
      tcp(),
      webSockets(),
      // No queue for reservations: the store drops every queued reservation once it needs no
      // more *discovered* relays (@libp2p/circuit-relay-v2 4.2.13, #checkReservationCount), so
      // a second relay in Settings queued behind the first is never reserved and the node never
      // finishes starting. Running them all at once leaves nothing queued to drop.
      circuitRelayTransport({ reservationCompletionTimeout: 10_000, reservationConcurrency: Number.POSITIVE_INFINITY })
      // No libp2p WebRTC transport. In Node it runs on libdatachannel, whose ICE and DTLS threads
      // can lock each other for good while a connection opens over TURN (the next call into it
      // blocks the event loop: the whole core stops answering); and without TURN a link between
      // two NATs can count as open while nothing gets through it, taking the members' streams.
      // Members who cannot reach each other directly talk through the circuit relay, which DCUtR
      // turns into a direct TCP connection where the NATs allow it. Calls do not need it at all:
      // media is the page's WebRTC, with TURN.
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // A relay or an IPv6 stack being unavailable must not stop the app from starting.
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
    connectionManager: APP_CONNECTIONS,
    // libp2p pings every connection each 10 s and, by default, aborts one whose ping took over
    // 5 s. Through a busy relay that happens to a healthy link, and everything on it dies at once
    // (each member's session, signalling, a file). The meeting judges its members' links itself
    // (heartbeats, reconnect); a connection that is really gone errors out on its own.
    connectionMonitor: { abortConnectionOnPingFailure: false },
    // A peer our protocols banned (flooding, bad frames, holding handshakes) cannot connect
    // again until its ban runs out: refused right after Noise, before any stream.
    connectionGater: { denyInboundEncryptedConnection: (peer) => isBanned(peer.toString()) },
    peerDiscovery: discovery,
    services
  })
  const app = node as unknown as AppNode
  isBanned = (peer) =>
    app.services.room.guard.isBanned(peer) ||
    app.services.signal.guard.isBanned(peer) ||
    app.services.file.guard.isBanned(peer) ||
    app.services.invite.guard.isBanned(peer)
  return app
}
