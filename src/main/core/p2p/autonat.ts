import { autoNAT } from '@libp2p/autonat'
import { isMultiaddr } from '@multiformats/multiaddr'

type AutoNATComponents = Parameters<ReturnType<typeof autoNAT>>[0]
type ConnectionManager = AutoNATComponents['connectionManager']

/**
 * libp2p's AutoNAT service (v1, @libp2p/autonat 3.0.28), with its dial-backs on a connection of
 * their own. Asked "can you reach me at this address?", the service calls `openConnection(addr)`
 * and closes what it got; without `force` that is the connection the asker is already on, so a
 * member with a public address lost its link to every relay it asked (and the reservation on it)
 * a moment after connecting. With `force` the dial-back is a new connection, and only that one
 * closes. Its other dials (peers to ask, given as address lists) are left as they are.
 */
export function autoNATWithFreshDialBacks(): (components: AutoNATComponents) => unknown {
  const make = autoNAT()
  return (components) =>
    make(
      new Proxy(components, {
        get: (target, key, receiver) =>
          key === 'connectionManager' ? dialBacksForced(target.connectionManager) : Reflect.get(target, key, receiver)
      })
    )
}

/** A connection manager whose dials to a single address always open a new connection. */
export function dialBacksForced(manager: ConnectionManager): ConnectionManager {
  return new Proxy(manager, {
    get(target, key) {
      if (key === 'openConnection') {
        const open: ConnectionManager['openConnection'] = (peer, options) =>
          target.openConnection(peer, isMultiaddr(peer) ? { ...options, force: true } : options)
        return open
      }
      const value: unknown = Reflect.get(target, key)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    }
  })
}
