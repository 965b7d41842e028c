import { setTimeout as pause } from 'node:timers/promises'
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
 * A member that joined (not the one who opened the meeting and handed out its code) announces
 * the short code's place this long after it is in: the code's slow hash (scrypt, about 0.15
 * cpu-s) would otherwise compete for the CPU with the first second of its call.
 */
export const JOINED_CODE_ANNOUNCE_DELAY_MS = 15_000
/** With no DHT peer to take the code's place yet, it is tried again after these pauses (doubling). */
const CODE_RETRY_FIRST_MS = 2_000
const CODE_RETRY_MAX_MS = 60_000

/**
 * DHT announce and lookup for one room; silent no-ops when the node runs without a DHT. Members
 * also announce the place of the room's short code (`announceCode`), where a joiner who has only
 * the code finds someone to ask for the invite.
 */
export class Rendezvous {
  readonly cid: CID
  private codeCid: Promise<CID> | null = null
  /** the meeting left or its key replaced: nothing more is announced here */
  private withdrawn = false
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
  announce(signal: AbortSignal): Promise<boolean> {
    return this.provide(this.cid, signal, 'room')
  }

  private async provide(cid: CID, signal: AbortSignal, what: string): Promise<boolean> {
    const dht = this.node.services.dht
    if (!dht) return true
    try {
      let stored = 0
      for await (const event of dht.provide(cid, { signal })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'ADD_PROVIDER') stored++
      }
      return stored > 0
    } catch (err) {
      this.log('%s announce failed (no DHT peers yet?) - %e', what, err)
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
    this.withdrawn = true
    if (!this.enabled) return
    await this.node.contentRouting.cancelReprovide(this.cid).catch(() => undefined)
    if (this.codeCid) await this.node.contentRouting.cancelReprovide(await this.codeCid).catch(() => undefined)
  }

  /**
   * The short code's place, from `afterMs` on until a DHT peer took it, or until `closed`: best
   * effort, the invite link does not need it.
   */
  async announceCode(closed: AbortSignal, afterMs = 0): Promise<void> {
    if (!this.enabled) return
    const wait = (ms: number) => pause(ms, undefined, { signal: closed, ref: false }).catch(() => undefined)
    await wait(afterMs)
    for (let retryMs = CODE_RETRY_FIRST_MS; !closed.aborted && !this.withdrawn; retryMs = Math.min(retryMs * 2, CODE_RETRY_MAX_MS)) {
      this.codeCid ??= codeKey(inviteCodeOf(this.roomKey)).then(codeRendezvousCid)
      const cid = await this.codeCid.catch(() => null)
      if (!cid || (await this.provide(cid, AbortSignal.any([closed, AbortSignal.timeout(10_000)]), 'short code'))) return
      await wait(retryMs)
    }
  }
}
