import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { parseAddrs } from '../p2p/addrs'
import type { MeetingIceServers as MeetingIceView } from '../../../shared/contract/rooms'
import type { InviteRelay } from '../../../shared/invite'
import type { Emit } from '../service'
import { MeetingIceServers, type IceServerEntry } from '../p2p/protocols/ice/index'

/** How long `room.iceServers` waits for the relays' first answers before it says what it has. */
export const FIRST_ICE_WAIT_MS = 6_000

/**
 * The STUN/TURN servers of the meeting we are in: asked of its relays (the invite's and our
 * own) from the moment we start or join it, kept fresh, and told to the renderer as they change
 * (`room.ice-servers`), so the call's peer connections always hold a credential that lives.
 */
export class MeetingIce {
  private readonly servers: MeetingIceServers | null
  private readonly first: Promise<void>

  constructor(
    node: Pick<Libp2p, 'dialProtocol' | 'peerId'>,
    readonly roomId: string,
    roomKey: Uint8Array,
    /** the meeting's relays: the invite's first, then ours */
    readonly relays: readonly InviteRelay[],
    private readonly emit: Emit
  ) {
    this.servers =
      relays.length === 0
        ? null
        : new MeetingIceServers({ node, relays: [...relays], roomKey, onChange: () => this.emit('room.ice-servers', this.view()) })
    this.first = this.servers?.start().catch(() => undefined) ?? Promise.resolve()
  }

  /** What the renderer gets; waits (a bounded while) for every relay's first answer. */
  async ready(waitMs = FIRST_ICE_WAIT_MS): Promise<MeetingIceView> {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([this.first, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))])
    clearTimeout(timer)
    return this.view()
  }

  /** Resolves once every relay has answered or failed once. */
  settled(): Promise<void> {
    return this.first
  }

  /** The meeting's key was replaced: see MeetingIceServers.replaceKey. */
  replaceKey(roomKey: Uint8Array, retiring: Uint8Array | null): void {
    this.servers?.replaceKey(roomKey, retiring)
  }

  /** We are the host; our co-hosts: see MeetingIceServers.setDeputies. */
  setDeputies(peers: readonly string[]): void {
    this.servers?.setDeputies(peers)
  }

  /** Where the meeting's relays listen (what a reservation on them is made through); bad addresses left out. */
  relayAddrs(): Multiaddr[] {
    return this.relays.flatMap((r) => parseAddrs(r.addrs))
  }

  current(): IceServerEntry[] {
    return this.servers?.current() ?? []
  }

  /** Did any relay answer (we reached it), did all fail, or are we still asking? */
  relayState(): 'none' | 'asking' | 'reached' | 'unreachable' {
    if (!this.servers) return 'none'
    const status = this.servers.status()
    if (status.some((s) => s.reached)) return 'reached'
    if (status.every((s) => s.error)) return 'unreachable'
    return 'asking'
  }

  view(): MeetingIceView {
    const status = this.servers?.status() ?? []
    return {
      roomId: this.roomId,
      iceServers: this.current().slice(0, 16),
      relays: status.length,
      answered: status.filter((s) => s.servers).length
    }
  }

  stop(): void {
    this.servers?.stop()
  }
}
