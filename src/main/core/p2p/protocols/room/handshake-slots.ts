/** One inbound handshake's place: `silent` until its hello arrives. */
export interface HandshakeSlot {
  readonly peer: string
  /** The hello arrived: from now on it cannot be pushed out by newcomers. */
  heard(): void
  release(): void
}

interface Entry {
  peer: string
  silent: boolean
  evict(): void
}

/**
 * The inbound handshakes in progress, bounded twice: per peer, and in all. When every place is
 * taken, a newcomer pushes out the oldest handshake whose hello never came: a joiner says hello
 * as soon as its stream opens, so a stream that stays silent is only holding a place, and
 * strangers who open silent streams cannot keep everyone else out.
 */
export class HandshakeSlots {
  private readonly entries = new Set<Entry>()

  constructor(
    private readonly max: number,
    private readonly perPeer: number
  ) {}

  get size(): number {
    return this.entries.size
  }

  /** A place for a handshake from `peer`, or null (refuse it). `evict` is called if it is pushed out. */
  take(peer: string, evict: () => void): HandshakeSlot | null {
    let mine = 0
    for (const e of this.entries) if (e.peer === peer) mine++
    if (mine >= this.perPeer) return null
    if (this.entries.size >= this.max && !this.pushOutOldestSilent()) return null
    const entry: Entry = { peer, silent: true, evict }
    this.entries.add(entry)
    return {
      peer,
      heard: () => {
        entry.silent = false
      },
      release: () => {
        this.entries.delete(entry)
      }
    }
  }

  private pushOutOldestSilent(): boolean {
    for (const e of this.entries) {
      if (!e.silent) continue
      this.entries.delete(e)
      e.evict()
      return true
    }
    return false
  }
}
