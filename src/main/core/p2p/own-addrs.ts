import type { PeerId } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'

export interface OwnAddrs {
  /**
   * Every address our interfaces listen on (`/p2p/<us>` appended), public ones too before
   * AutoNAT has confirmed them. libp2p announces a public address only once other peers dialled
   * it back, and with no relay nobody is there to do that: an invite from a machine with a
   * public address would name none. A joiner dials them all at once, so one that turns out to
   * be firewalled costs a failed dial beside the others, no delay.
   */
  interfaceAddrs(): string[]
}

export function ownAddrs(): (components: { addressManager: AddressManager; peerId: PeerId }) => OwnAddrs {
  return ({ addressManager, peerId }) => ({
    interfaceAddrs: () =>
      addressManager
        .getAddressesWithMetadata()
        .filter((a) => a.type === 'transport')
        .map((a) => `${a.multiaddr.toString()}/p2p/${peerId.toString()}`)
  })
}
