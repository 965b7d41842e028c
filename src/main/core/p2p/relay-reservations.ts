import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { TransportManager } from '@libp2p/interface-internal'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

/**
 * Relays one node holds reservations on besides the ones in its settings, over its lifetime.
 * A reservation cannot be given back short of a restart, and each is a connection kept open;
 * a relay that did not give one (unreachable, refused) leaves its place to the next.
 */
const MAX_EXTRA_RELAYS = 4

export interface RelayReservations {
  /**
   * Hold a reservation on each of these relays (their addresses, `/p2p/<relay>` included), so
   * people who cannot reach us directly reach us through them. Resolves once each is held or
   * has failed; a relay already asked is not asked again.
   */
  reserveOn(relays: readonly Multiaddr[]): Promise<void>
}

/**
 * A joiner with no relay in its settings would be reachable by nobody outside its network: the
 * meeting's relays (named by the invite) take it in, as the settings' relays do at start (a
 * `/p2p-circuit` listen address each, which the circuit relay transport turns into a reservation).
 */
export function relayReservations(): (components: { transportManager: TransportManager; logger: ComponentLogger }) => RelayReservations {
  return (components) => new Reservations(components.transportManager, components.logger.forComponent('dym:relay-reservations'))
}

class Reservations implements RelayReservations {
  private readonly asked = new Set<string>()

  constructor(
    private readonly transports: TransportManager,
    private readonly log: Logger
  ) {}

  async reserveOn(relays: readonly Multiaddr[]): Promise<void> {
    const held = new Set(this.transports.getAddrs().map(String))
    const fresh = relays
      .map((ma) => ma.toString().replace(/\/$/, ''))
      .filter((ma) => ma.includes('/p2p/') && !ma.includes('/p2p-circuit') && !held.has(`${ma}/p2p-circuit`) && !this.asked.has(ma))
      .slice(0, Math.max(0, MAX_EXTRA_RELAYS - this.asked.size))
    for (const ma of fresh) this.asked.add(ma)
    await Promise.all(
      fresh.map((ma) =>
        this.transports.listen([multiaddr(`${ma}/p2p-circuit`)]).catch((err: unknown) => {
          this.asked.delete(ma)
          this.log('no reservation on %s: %e', ma, err)
        })
      )
    )
  }
}
