import type { AbortOptions, Connection, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { lastPeerId } from '../p2p/addrs'

/** The part of a libp2p node a dial needs. */
export interface Dialer {
  dial(target: Multiaddr, options?: AbortOptions): Promise<Connection>
  getConnections(peer?: PeerId): Connection[]
}

/**
 * Dial every address of one peer at once and keep the first connection that opens. libp2p dials
 * a peer's addresses one after the other (6 s each), and puts relayed ones last: a joiner behind
 * a NAT waited for every unreachable LAN address to time out before the relay was even tried.
 * Direct addresses are dialled without their peer id (libp2p would merge dials to one peer into
 * one sequential dial); the connection is then checked to be that peer. Relayed addresses keep
 * theirs (it names the target behind the relay). The losers are aborted, or closed if they open.
 *
 * Only a loser this race opened itself, through a direct address, is closed: a dial of an address
 * with a peer id (a relayed one) may be answered with a connection libp2p already has or is
 * opening for another dial, and that may carry a member's session (closing it drops the member).
 * If a connection to the peer is open already, it is the answer.
 */
export async function dialFastest(node: Dialer, peerId: string, addrs: Multiaddr[], options: AbortOptions = {}): Promise<Connection> {
  const existing = node.getConnections(peerIdFromString(peerId))
  const open = existing.find((c) => c.status === 'open')
  if (open) return open
  const before = new Set(existing.map((c) => c.id))
  const dropIfOurs = async (connection: Connection, target: Multiaddr) => {
    if (lastPeerId(target) === null && !before.has(connection.id)) await connection.close().catch(() => undefined)
  }
  const race = new AbortController()
  const signal = options.signal ? AbortSignal.any([options.signal, race.signal]) : race.signal
  let winner: Connection | null = null
  const attempts = targets(peerId, addrs).map(async (target) => {
    const connection = await node.dial(target, { signal })
    if (connection.remotePeer.toString() !== peerId) {
      await dropIfOurs(connection, target)
      throw new Error(`${target.toString()} is another peer`)
    }
    if (winner && winner !== connection) {
      await dropIfOurs(connection, target)
      throw new Error('another address was faster')
    }
    winner = connection
    return connection
  })
  try {
    return await Promise.any(attempts)
  } catch (err) {
    const first = err instanceof AggregateError ? err.errors[0] : err
    throw first instanceof Error ? first : new Error(`could not reach ${peerId}`)
  } finally {
    race.abort()
  }
}

function targets(peerId: string, addrs: Multiaddr[]): Multiaddr[] {
  const out = new Map<string, Multiaddr>()
  for (const addr of addrs) {
    const text = addr.toString()
    if (text.includes('/p2p-circuit')) {
      out.set(text, addr)
      continue
    }
    if (lastPeerId(addr) !== peerId) continue
    const bare = multiaddr(text.slice(0, text.lastIndexOf('/p2p/')) || text)
    out.set(bare.toString(), bare)
  }
  return [...out.values()]
}
