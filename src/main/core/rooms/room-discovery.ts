import type { PeerId } from '@libp2p/interface'
import type { Logger } from '../log'
import type { ActiveRoom } from './active-room'
import type { JoinRace } from './join-race'
import type { MeshTuning, RoomMesh } from './room-mesh'

/**
 * Finding members we are not linked to: the DHT (where members announce the room's rendezvous
 * key) and whatever libp2p discovers (mDNS on the LAN, bootstrap, peers that connect to us).
 * This is what keeps a meeting together after its creator leaves.
 */
export class RoomDiscovery {
  constructor(
    private readonly mesh: RoomMesh,
    private readonly tuning: MeshTuning,
    private readonly log: Logger,
    /** the join in progress, if any: discoveries feed it */
    private readonly race: () => JoinRace | null
  ) {}

  /** Announce ourselves in the DHT and keep looking for members we are not linked to. */
  run(room: ActiveRoom): void {
    const mesh = this.mesh
    const closed = room.closed.signal
    void (async () => {
      let announced = false
      while (!closed.aborted) {
        announced ||= await room.rendezvous!.announce(AbortSignal.any([closed, AbortSignal.timeout(10_000)]))
        await room.rendezvous!.find(AbortSignal.any([closed, AbortSignal.timeout(10_000)]), (peer) => this.discovered(peer))
        await new Promise((resolve) => {
          // Until the announcement is in, try again soon: at start the DHT may not know anyone yet.
          const t = setTimeout(resolve, announced ? this.tuning.discoveryIntervalMs : Math.min(2_000, this.tuning.discoveryIntervalMs))
          t.unref?.()
          closed.addEventListener('abort', () => resolve(clearTimeout(t)), { once: true })
        })
      }
    })()
    for (const peer of [...mesh.lanPeers.values()]) this.discovered(peer)
  }

  /** A peer found by mDNS, the DHT or bootstrap: if it might be in our room, ask. */
  discovered(peer: PeerId): void {
    const mesh = this.mesh
    const id = peer.toString()
    if (id === mesh.selfId) return
    mesh.lanPeers.delete(id)
    mesh.lanPeers.set(id, peer)
    if (mesh.lanPeers.size > 256) mesh.lanPeers.delete(mesh.lanPeers.keys().next().value as string)
    const room = mesh.room
    if (!room) return
    if (room.state === 'joining') return this.race()?.attempt(id, (signal) => mesh.dial(room, peer, signal))
    const last = room.tried.get(id)
    if (room.busyWith(id) || (last !== undefined && Date.now() - last < this.tuning.retryDiscoveredAfterMs)) return
    room.tried.set(id, Date.now())
    if (room.tried.size > 1000) room.tried.delete(room.tried.keys().next().value as string)
    // Discovery also fires when a member has just connected to us to join: give its handshake
    // a moment, so we do not dial it back and make a second session.
    setTimeout(() => {
      if (mesh.room !== room || room.busyWith(id)) return
      mesh
        .dial(room, peer, AbortSignal.any([room.closed.signal, AbortSignal.timeout(10_000)]))
        .then((session) => mesh.attach(session))
        .catch((err: unknown) => this.log.debug(`discovered peer ${id.slice(-8)} did not let us in`, err))
    }, 1500).unref?.()
  }
}
