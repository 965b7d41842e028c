import { roomIdFromKey } from '../../../shared/invite'
import type { Rendezvous } from './rendezvous'

/**
 * A meeting's room key now, and every id it has had on the wire: the host replaces the key when
 * it removes someone, and the meeting is then found (DHT) and joined under the new one only,
 * while signals and sessions from before still count.
 */
export class MeetingKeys {
  private current: Uint8Array
  private place: Rendezvous
  /** every id on the wire, the current one last */
  private readonly ids = new Set<string>()

  constructor(
    key: Uint8Array,
    private readonly rendezvousFor: (key: Uint8Array) => Rendezvous
  ) {
    this.current = key
    this.ids.add(roomIdFromKey(key))
    this.place = rendezvousFor(key)
  }

  /** What a joiner must prove, and what the invite carries. */
  get key(): Uint8Array {
    return this.current
  }

  /** The hash of the current key: what handshakes name. */
  get wireId(): string {
    return [...this.ids].at(-1)!
  }

  /** Where members announce themselves in the DHT, under the current key. */
  get rendezvous(): Rendezvous {
    return this.place
  }

  knows(id: string): boolean {
    return this.ids.has(id)
  }

  latestFirst(): string[] {
    return [...this.ids].reverse()
  }

  /** A new key: the old rendezvous is withdrawn, the new one announced (until `closed`). */
  replace(key: Uint8Array, closed: AbortSignal): void {
    void this.place.withdraw()
    this.current = key
    this.ids.add(roomIdFromKey(key))
    this.place = this.rendezvousFor(key)
    void this.place.announce(AbortSignal.any([closed, AbortSignal.timeout(10_000)]))
    void this.place.announceCode(closed)
  }
}
