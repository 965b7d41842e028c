import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { encodeInvite, type InviteRelay } from '../../../shared/invite'
import { inviteCodeOf } from '../../../shared/invite-code'
import type { PeerIdentity } from '../identity/peer-identity'
import type { ServiceContext } from '../service'
import { createAppNode, privateKeyFromSeed, type AppNode, type NetworkOptions } from '../p2p/node'
import type { RoomProtocolInit } from '../p2p/protocols/room/index'
import type { SignalProtocolInit } from '../p2p/protocols/signal/index'
import type { FileProtocolInit } from '../p2p/protocols/file/index'
import type { FileInbox } from '../transfers/transfer-service'
import { RoomDiscovery } from './discovery'
import { dialFastest } from './fastest-dial'
import { orderInviteAddrs } from './invite-addrs'
import type { JoinRace } from './join-race'
import { lastPeerId, parseAddrs } from '../p2p/addrs'
import type { Meeting, MeetingPorts } from './meeting'
import { MeetingHost } from './meeting-host'
import { rememberMeeting } from './meeting-memory'
import { Rendezvous } from './rendezvous'
import type { MeetingTuning } from './tuning'

export interface RoomNodeInit {
  ctx: ServiceContext
  identity: PeerIdentity
  network: NetworkOptions
  tuning: MeetingTuning
  protocols?: { room?: Omit<RoomProtocolInit, 'host'>; signal?: Omit<SignalProtocolInit, 'host'>; file?: Omit<FileProtocolInit, 'host'> }
  /** where offered files go (none: files are refused) */
  files?: FileInbox | undefined
  /** the meeting we are in, if any (the room service holds it) */
  meeting(): Meeting | null
  /** the join in progress, if any */
  race(): JoinRace | null
  /** the relays our invites name: the meeting's, or our own when not in one */
  relays(): InviteRelay[]
}

/**
 * One running libp2p node and what hangs off it: the protocols' host, discovery, and the ports a
 * meeting runs on. A new identity or new network settings make a new RoomNode.
 */
export class RoomNode {
  private constructor(
    readonly node: AppNode,
    readonly host: MeetingHost,
    readonly discovery: RoomDiscovery,
    private readonly init: RoomNodeInit
  ) {}

  static async start(init: RoomNodeInit): Promise<RoomNode> {
    let strikeFile = (_peer: PeerId, _points: number): void => undefined
    let inviteOf = (_meeting: Meeting): string => ''
    const host = new MeetingHost(
      () => init.identity,
      init.meeting,
      init.ctx.emit,
      init.ctx.log,
      init.files,
      (peer, points) => strikeFile(peer, points)
    )
    const node = await createAppNode({
      seed: await init.identity.deviceKeySeed(),
      network: init.network,
      room: { ...init.protocols?.room, host },
      signal: { ...init.protocols?.signal, host },
      file: { ...init.protocols?.file, host },
      invite: {
        host: {
          current: () => {
            const meeting = init.meeting()
            if (!meeting?.joined || meeting.closed.aborted) return null
            return { code: inviteCodeOf(meeting.key), invite: () => inviteOf(meeting) }
          }
        }
      }
    })
    strikeFile = (peer, points) => node.services.file.strike(peer, points)
    const discovery = new RoomDiscovery(node.peerId.toString(), init.tuning, init.meeting, init.race)
    node.addEventListener('peer:discovery', (evt) => discovery.discovered(evt.detail.id))
    // A member's route (direct or relayed) shows in the room view.
    const routeChanged = (evt: CustomEvent<{ remotePeer: PeerId }>) => {
      const meeting = init.meeting()
      if (meeting?.knows(evt.detail.remotePeer.toString())) meeting.changed()
    }
    node.addEventListener('connection:open', routeChanged)
    node.addEventListener('connection:close', (evt) => {
      const c = evt.detail
      const meeting = init.meeting()
      if (!meeting?.knows(c.remotePeer.toString())) return
      meeting.changed()
      const age = Date.now() - c.timeline.open
      init.ctx.log.debug(
        `connection ${c.id} to ${c.remotePeer.toString().slice(-8)} closed after ${age} ms (${c.direction}, ${c.limits ? 'limited' : 'unlimited'})`
      )
    })
    init.ctx.log.info(`p2p node ${node.peerId.toString()} listening on ${node.getMultiaddrs().length} addresses`)
    const running = new RoomNode(node, host, discovery, init)
    inviteOf = (meeting) => running.inviteFor(meeting)
    return running
  }

  get selfId(): string {
    return this.node.peerId.toString()
  }

  async stop(): Promise<void> {
    await this.node.stop()
  }

  /** What a meeting runs on: dials, addresses, routes and signalling of this node; `room` is the room service's part. */
  ports(room: Pick<MeetingPorts, 'leaveMeeting'>): MeetingPorts {
    const node = this.node
    return {
      leaveMeeting: room.leaveMeeting,
      rendezvousFor: (key) => new Rendezvous(node, key, node.logger.forComponent('dym:rendezvous')),
      sign: async (data) => (await privateKeyFromSeed(await this.init.identity.deviceKeySeed())).sign(data),
      emit: this.init.ctx.emit,
      log: this.init.ctx.log,
      tuning: this.init.tuning,
      network: {
        selfId: this.selfId,
        join: async (target, roomId, key, options) => {
          // An invite's addresses for one member: all at once, not one after the other.
          const addrs: Multiaddr[] = Array.isArray(target) ? target : []
          const peer = addrs.length > 1 ? lastPeerId(addrs[0]!) : null
          if (!peer) return node.services.room.join(target, roomId, key, options)
          await dialFastest(node, peer, addrs, { signal: options.signal })
          return node.services.room.join(peerIdFromString(peer), roomId, key, options)
        },
        learnAddrs: async (peer, addrs) => {
          const multiaddrs = parseAddrs(addrs)
          if (multiaddrs.length > 0) await node.peerStore.merge(peer, { multiaddrs })
        }
      },
      invite: (meeting) => this.inviteFor(meeting),
      routeTo: (peer) => {
        const open = node.getConnections(peer).filter((c) => c.status === 'open')
        return open.some((c) => c.direct && c.limits == null) ? 'direct' : 'relayed'
      },
      addrsOf: async (peer) => {
        try {
          const info = await node.peerStore.get(peer)
          return info.addresses.map((a) => dialableAs(a.multiaddr.toString(), peer.toString())).slice(0, 8)
        } catch {
          return []
        }
      },
      warmSignal: (peer) => void node.services.signal.warm(peer).catch(() => undefined),
      forgetSignal: (peer) => node.services.signal.forget(peer),
      strike: (peer) => void node.services.room.guard.strike(peer.toString()),
      remember: async (roomId, memory) => {
        try {
          await rememberMeeting(this.init.ctx.dataDir, roomId, await memory())
        } catch (err) {
          this.init.ctx.log.warn('could not keep what we know of the meeting', err)
        }
      }
    }
  }

  inviteFor(meeting: { wireId: string; key: Uint8Array; title: string }): string {
    return encodeInvite({
      roomId: meeting.wireId,
      roomKey: meeting.key,
      title: meeting.title,
      addrs: orderInviteAddrs([...this.node.getMultiaddrs().map(String), ...this.node.services.ownAddrs.interfaceAddrs()]),
      relays: this.init.relays()
    })
  }
}

/**
 * A member's address as others can dial it: a route through a relay is kept in the peer store
 * without the member at its end (`.../p2p/<relay>/p2p-circuit`), which names the relay, not the
 * member; others dial only addresses that name the member they were told of.
 */
export function dialableAs(addr: string, peerId: string): string {
  return addr.endsWith('/p2p-circuit') ? `${addr}/p2p/${peerId}` : addr
}
