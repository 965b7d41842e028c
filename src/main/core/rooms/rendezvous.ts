import type { Logger, PeerId } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { inviteCodeOf } from '../../../shared/invite-code'
import { dhtKeyOf } from '../p2p/dht-key'
import type { AppNode } from '../p2p/node'
import { codeKey, codeRendezvousCid } from '../p2p/protocols/invite/index'

/**
 * Where members of a room announce themselves in the DHT. Derived from the room key, not the
 * room id: someone who only saw a room id (it travels in handshakes) cannot list its members.
 */
export function rendezvousCid(roomKey: Uint8Array): CID {
  return dhtKeyOf('dym/rendezvous/v1', roomKey)
}

/**
 * DHT announce and lookup for one room; silent no-ops when the node runs without a DHT. Members
 * also announce the place of the room's short code, where a joiner who has only the code finds
 * someone to ask for the invite.
 */
export class Rendezvous {
  readonly cid: CID
  private codeCid: Promise<CID> | null = null
  constructor(
    private readonly node: AppNode,
    private readonly roomKey: Uint8Array,
    private readonly log: Logger
  ) {
    this.cid = rendezvousCid(roomKey)
  }

  get enabled(): boolean {
    return this.node.services.dht != null
  }

  /**
   * True once at least one DHT peer took the announcement (the DHT re-announces it on its own
   * from then on). With nobody to tell yet it is only stored locally: that does not count.
   */
  async announce(signal: AbortSignal): Promise<boolean> {
    const dht = this.node.services.dht
    if (!dht) return true
    void this.announceCode(signal)
    try {
      let stored = 0
      for await (const event of dht.provide(this.cid, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') stored++
      }
      return stored > 0
    } catch (err) {
      this.log('room announce failed (no DHT peers yet?) - %e', err)
      return false
    }
  }

  /** Peers announcing this room, as the DHT finds them. */
  async find(signal: AbortSignal, onPeer: (peer: PeerId) => void): Promise<void> {
    if (!this.enabled) return
    try {
      for await (const provider of this.node.contentRouting.findProviders(this.cid, { signal })) {
        if (!provider.id.equals(this.node.peerId)) onPeer(provider.id)
      }
    } catch (err) {
      this.log('room lookup ended - %e', err)
    }
  }

  async withdraw(): Promise<void> {
    if (!this.enabled) return
    await this.node.contentRouting.cancelReprovide(this.cid).catch(() => undefined)
    if (this.codeCid) await this.node.contentRouting.cancelReprovide(await this.codeCid).catch(() => undefined)
  }

  /** The short code's place: best effort, the invite link does not need it. */
  private async announceCode(signal: AbortSignal): Promise<void> {
    this.codeCid ??= codeKey(inviteCodeOf(this.roomKey)).then(codeRendezvousCid)
    try {
      await this.node.contentRouting.provide(await this.codeCid, { signal })
    } catch (err) {
      this.log('short code announce failed - %e', err)
    }
  }
}
