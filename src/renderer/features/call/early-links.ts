import type { LinkedBy, SignalPayload } from './types'

/** signals held per early link and direction */
const MAX_HELD_SIGNALS = 50
/** early links at most (an invite names a handful of members) */
const MAX_EARLY_OFFERS = 8
/** early links not claimed by then are closed */
const EARLY_OFFER_TTL_MS = 4_000

/** What the mesh does for its early links. */
export interface EarlyLinksHost {
  selfId: string
  /** a link to this member exists (early or not) */
  hasLink(id: string): boolean
  /** make the link to this member now: its offer and candidates come back through `holdOut` */
  connect(id: string): void
  /** the room shows this member linked by us: send what its early link made */
  release(id: string, out: readonly SignalPayload[]): void
  /** the member dialled us (it offers) or never showed up: close the link made for it */
  discard(id: string): void
  /** a signal that came from the member while its link was held, handled now as if just arrived */
  replay(id: string, signal: SignalPayload): void
}

/**
 * Links made before the room lets us in (`MeshEngine.offerEarly`): each makes its offer and
 * gathers its candidates at once, but nothing goes out, and nothing that comes in is handled,
 * until the room shows whose link it is (`settle`). Bounded: MAX_EARLY_OFFERS links, each holding
 * at most MAX_HELD_SIGNALS signals each way, for EARLY_OFFER_TTL_MS after the last `offer`.
 */
export class EarlyLinks {
  private readonly held = new Map<string, { out: SignalPayload[]; in: SignalPayload[] }>()
  private expiry: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly host: EarlyLinksHost) {}

  /** Early links to these members (those we have no link to yet). */
  offer(ids: Iterable<string>): void {
    for (const id of ids) {
      if (this.held.size >= MAX_EARLY_OFFERS) break
      if (id === this.host.selfId || this.host.hasLink(id)) continue
      this.held.set(id, { out: [], in: [] })
      this.host.connect(id)
    }
    // A join that takes longer (a host deciding on us) gets fresh links, not stale offers.
    if (this.expiry) clearTimeout(this.expiry)
    this.expiry = setTimeout(() => this.settle(new Set(), () => undefined, true), EARLY_OFFER_TTL_MS)
  }

  /** A signal our early link to `id` made: held (true) while the room has not decided. */
  holdOut(id: string, signal: SignalPayload): boolean {
    return this.hold(id, signal, 'out')
  }

  /** A signal from `id` while our early link to it is held: kept for `settle` (true). */
  holdIn(id: string, signal: SignalPayload): boolean {
    return this.hold(id, signal, 'in')
  }

  /**
   * The early links, as the room shows their members: linked by us, what they held goes out and
   * what came for them goes in; linked by them (they offer), or gone when `final`, they close and
   * what came is handled as if no link had been made. A member whose link is not up yet keeps
   * its early link held.
   */
  settle(members: ReadonlySet<string>, linkedBy: LinkedBy, final = false): void {
    for (const [id, held] of [...this.held]) {
      const by = members.has(id) ? linkedBy(id) : undefined
      if (by === undefined && !final) continue
      this.held.delete(id)
      if (by === 'us') this.host.release(id, held.out)
      else this.host.discard(id)
      for (const signal of held.in) this.host.replay(id, signal)
    }
  }

  /** The member left: its early link (the mesh closes it) holds nothing any more. */
  forget(id: string): void {
    this.held.delete(id)
  }

  close(): void {
    if (this.expiry) clearTimeout(this.expiry)
    this.held.clear()
  }

  private hold(id: string, signal: SignalPayload, way: 'out' | 'in'): boolean {
    const held = this.held.get(id)
    if (!held) return false
    if (held[way].length < MAX_HELD_SIGNALS) held[way].push(signal)
    return true
  }
}
