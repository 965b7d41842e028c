import { randomBytes } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import { base64urlnopad } from '@scure/base'
import { DymError } from '../../../shared/contract/errors'
import type { ChatMessage, Notice, RoomRules, RoomView, SignalPayload } from '../../../shared/contract/rooms'
import { encodeInvite, InviteError, parseInvite, roomIdFromKey, ROOM_KEY_BYTES } from '../../../shared/invite'
import type { PeerIdentity } from '../identity/peer-identity'
import type { Service, ServiceContext } from '../service'
import { createAppNode, type AppNode, type NetworkOptions } from '../p2p/node'
import type { RoomProtocolInit } from '../p2p/protocols/room/index'
import type { SignalProtocolInit } from '../p2p/protocols/signal/index'
import { ActiveRoom } from './active-room'
import { ChatLog } from './chat-log'
import { addrsByPeer, JoinFailed, JoinRace } from './join-race'
import { orderInviteAddrs } from './invite-addrs'
import { Rendezvous } from './rendezvous'
import { RoomDiscovery } from './room-discovery'
import { applyNotice } from './room-frames'
import { DEFAULT_MESH_TUNING, RoomMesh, type MeshTuning } from './room-mesh'

export type RoomMethod =
  | 'room.create'
  | 'room.preconnect'
  | 'room.join'
  | 'room.leave'
  | 'room.current'
  | 'room.admit'
  | 'signal.send'
  | 'chat.send'
  | 'chat.history'
  | 'notice.send'

export interface RoomServiceOptions {
  /** Who we are to peers. Swap it with `setIdentity` (the node restarts with the new key). */
  identity: PeerIdentity
  /** Listen addresses, bootstrap list, relays, discovery. Swap with `setNetwork`. */
  network: NetworkOptions
  /** Timings (tests shorten them). */
  tuning?: Partial<MeshTuning>
  /** Protocol knobs (tests raise strike budgets, shorten heartbeats). */
  protocols?: { room?: Omit<RoomProtocolInit, 'host'>; signal?: Omit<SignalProtocolInit, 'host'> }
}

/**
 * Meetings without a server: the contract's room, signalling, chat and notice methods on top
 * of one libp2p node. One meeting at a time.
 */
export class RoomService implements Service<RoomMethod> {
  readonly name = 'rooms'
  private node: AppNode | null = null
  private mesh: RoomMesh | null = null
  private starting: Promise<void> | null = null
  private race: JoinRace | null = null
  private discovery: RoomDiscovery | null = null
  private identity: PeerIdentity
  private network: NetworkOptions
  private readonly tuning: MeshTuning

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: RoomServiceOptions
  ) {
    this.identity = options.identity
    this.network = options.network
    this.tuning = { ...DEFAULT_MESH_TUNING, ...options.tuning }
  }

  readonly handlers = {
    'room.create': (req: { title: string; rules: RoomRules }) => this.create(req.title, req.rules),
    'room.preconnect': (req: { invite: string }) => this.preconnect(req.invite),
    'room.join': (req: { invite: string }) => this.join(req.invite),
    'room.leave': async (req: { roomId: string }) => {
      if (this.mesh?.room?.roomId === req.roomId) await this.leave('You left the meeting')
      return { ok: true as const }
    },
    'room.current': async () => {
      const mesh = await this.ready()
      const room = mesh.room
      return room && room.state === 'joined' ? this.viewOf(mesh, room) : null
    },
    'room.admit': async (req: { roomId: string; peerId: string; admit: boolean }) => {
      const room = (await this.ready()).joined(req.roomId)
      const pending = room?.pending.get(req.peerId)
      if (!pending) throw new DymError('not-found', 'Nobody with that id is waiting to be let in')
      pending.decide(req.admit ? { ok: true } : { ok: false, code: 'declined', reason: 'The host did not let you in' })
      return { ok: true as const }
    },
    'signal.send': (req: { roomId: string; to: string; signal: SignalPayload }) => this.signal(req.roomId, req.to, req.signal),
    'chat.send': (req: { roomId: string; text: string }) => this.chat(req.roomId, req.text),
    'chat.history': async (req: { roomId: string }) => {
      const mesh = await this.ready()
      const chat =
        mesh.room?.roomId === req.roomId
          ? mesh.room.chat
          : await ChatLog.open(this.ctx.dataDir, req.roomId, mesh.selfId, this.ctx.log, { create: false })
      return chat?.history() ?? []
    },
    'notice.send': (req: { roomId: string; notice: Notice }) => this.notice(req.roomId, req.notice)
  }

  /**
   * Starts the node in the background: a relay that does not answer can hold up listening for
   * seconds, and the rest of the app should not wait for that. Meeting methods wait for it
   * (`whenReady`), and answer `unavailable` if it failed.
   */
  async start(): Promise<void> {
    this.starting = this.startNode()
    this.starting.catch((err: unknown) => this.ctx.log.error('the p2p node did not start', err))
  }

  /** Resolves once the node runs; throws a DymError (`unavailable`) if it could not start. */
  async whenReady(): Promise<void> {
    await this.ready()
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined)
    await this.leave('The app is closing').catch(() => undefined)
    const node = this.node
    this.node = null
    this.mesh = null
    this.discovery = null
    this.starting = null
    await node?.stop()
  }

  /** Start again with the current identity and network: leaves the meeting (peers see us go). */
  async restart(reason: string): Promise<void> {
    await this.leave(reason).catch(() => undefined)
    await this.stop()
    await this.start()
    await this.starting?.catch(() => undefined)
  }

  /** The identity changed (signed in, out, or restored): a new device key means a new node. */
  async setIdentity(identity: PeerIdentity): Promise<void> {
    this.identity = identity
    await this.restart('You left the meeting because your identity changed')
  }

  async setNetwork(network: NetworkOptions): Promise<void> {
    this.network = network
    await this.restart('You left the meeting because the network settings changed')
  }

  /** For tests and the bench: the running libp2p node. */
  get libp2p(): AppNode | null {
    return this.node
  }

  private async startNode(): Promise<void> {
    const mesh: RoomMesh = new RoomMesh(this.identity, this.ctx.log, this.ctx.emit, this.tuning, (room): string =>
      this.inviteOf(mesh, room)
    )
    const node = await createAppNode({
      seed: await this.identity.deviceKeySeed(),
      network: this.network,
      room: { ...this.options.protocols?.room, host: mesh },
      signal: { ...this.options.protocols?.signal, host: mesh }
    })
    mesh.node = node
    const discovery = new RoomDiscovery(mesh, this.tuning, this.ctx.log, () => this.race)
    node.addEventListener('peer:discovery', (evt) => discovery.discovered(evt.detail.id))
    const routeChanged = (evt: CustomEvent<{ remotePeer: PeerId }>) => {
      if (mesh.room?.members.has(evt.detail.remotePeer.toString())) mesh.update()
    }
    node.addEventListener('connection:open', routeChanged)
    node.addEventListener('connection:close', routeChanged)
    this.node = node
    this.mesh = mesh
    this.discovery = discovery
    this.ctx.log.info(`p2p node ${node.peerId.toString()} listening on ${node.getMultiaddrs().length} addresses`)
  }

  private async ready(): Promise<RoomMesh> {
    try {
      await this.starting
    } catch (err) {
      throw new DymError('unavailable', `The network could not start: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (!this.mesh) throw new DymError('unavailable', 'The network is not running')
    return this.mesh
  }

  private async selfPerson(mesh: RoomMesh) {
    const presentation = await this.identity.presentation()
    if (presentation === null) throw new DymError('denied', 'Sign in or choose a guest name before joining a meeting')
    const check = await mesh.verify(presentation, mesh.node.peerId)
    if (!check.ok) throw new DymError('denied', `Your own identity does not check out: ${check.reason}`)
    return check.person
  }

  private busy(mesh: RoomMesh): void {
    if (mesh.room) throw new DymError('conflict', 'You are already in a meeting: leave it first')
  }

  private async create(title: string, rules: RoomRules): Promise<RoomView> {
    const mesh = await this.ready()
    this.busy(mesh)
    const person = await this.selfPerson(mesh)
    this.busy(mesh)
    const key = new Uint8Array(randomBytes(ROOM_KEY_BYTES))
    const room = new ActiveRoom(roomIdFromKey(key), key, title, person)
    room.rules = rules
    room.creator = mesh.selfId
    room.state = 'joined'
    mesh.room = room
    await this.prepare(mesh, room)
    this.discovery!.run(room)
    return this.viewOf(mesh, room)
  }

  /**
   * Connect to the invite's members before the user presses Join (libp2p connections only, no
   * room protocol): room.join then finds the connections open, which saves it the transport and
   * Noise handshakes (0.2-0.9 s each on a busy machine). Not while in a meeting.
   */
  private async preconnect(text: string): Promise<{ reachable: boolean }> {
    const mesh = await this.ready()
    const invite = readInvite(text)
    if (mesh.room) return { reachable: mesh.room.roomId === invite.roomId }
    const signal = AbortSignal.timeout(PRECONNECT_TIMEOUT_MS)
    const peers = [...addrsByPeer(invite.addrs, mesh.selfId)].slice(0, PRECONNECT_MAX_PEERS)
    const dials = await Promise.allSettled(peers.map(([, addrs]) => mesh.node.dial(addrs, { signal })))
    return { reachable: dials.some((d) => d.status === 'fulfilled') }
  }

  private async join(text: string): Promise<RoomView> {
    const mesh = await this.ready()
    const invite = readInvite(text)
    if (mesh.room?.roomId === invite.roomId && mesh.room.state === 'joined') return this.viewOf(mesh, mesh.room)
    this.busy(mesh)
    const person = await this.selfPerson(mesh)
    this.busy(mesh)
    const room = new ActiveRoom(invite.roomId, invite.roomKey, invite.title, person)
    mesh.room = room
    await this.prepare(mesh, room)
    const race = new JoinRace({ deadlineMs: this.tuning.joinDeadlineMs, signal: room.closed.signal, onLateSession: (s) => mesh.attach(s) })
    this.race = race
    const onWait = (reason: string) => this.ctx.emit('room.waiting', { roomId: room.roomId, reason })
    for (const [peer, addrs] of addrsByPeer(invite.addrs, mesh.selfId))
      race.attempt(peer, (signal) => mesh.dial(room, addrs, signal, onWait))
    // mDNS answers within moments of start-up: give the LAN a little while before giving up.
    if (this.network.mdns !== false) setTimeout(race.source(), 2_000).unref?.()
    for (const peer of [...mesh.lanPeers.values()]) race.attempt(peer.toString(), (signal) => mesh.dial(room, peer, signal, onWait))
    const dhtDone = race.source()
    void room
      .rendezvous!.find(AbortSignal.any([room.closed.signal, AbortSignal.timeout(this.tuning.joinDeadlineMs)]), (peer) =>
        race.attempt(peer.toString(), (signal) => mesh.dial(room, peer, signal, onWait))
      )
      .finally(dhtDone)

    let first
    try {
      first = await race.result
    } catch (err) {
      if (mesh.room === room) mesh.room = null
      room.closed.abort()
      for (const early of room.early.splice(0)) void early.close('local')
      const refusal = err instanceof JoinFailed ? err.refusal : null
      if (refusal) {
        this.ctx.emit('room.refused', { roomId: room.roomId, code: refusal.code, reason: refusal.reason })
        throw new DymError('denied', refusal.reason)
      }
      throw new DymError('unavailable', err instanceof Error ? err.message : String(err))
    } finally {
      if (this.race === race) this.race = null
    }
    const facts = first.facts!
    Object.assign(room, { rules: facts.rules, creator: facts.creator, title: facts.title || room.title, state: 'joined' })
    for (const id of facts.admitted) room.admitted.add(id)
    mesh.attach(first)
    for (const early of room.early.splice(0)) mesh.attach(early)
    // The others are reached in the background: they appear through room.updated, and the call
    // can start with whoever let us in. (Waiting here held the join up to membersWaitMs when
    // two people joined at once and each was still joining when the other dialled.)
    void mesh.connectTo(room, facts.members, this.tuning.membersWaitMs)
    this.discovery!.run(room)
    return this.viewOf(mesh, room)
  }

  private async prepare(mesh: RoomMesh, room: ActiveRoom): Promise<void> {
    room.chat = await ChatLog.open(this.ctx.dataDir, room.roomId, mesh.selfId, this.ctx.log)
    room.rendezvous = new Rendezvous(mesh.node, room.key, mesh.node.logger.forComponent('dym:rendezvous'))
  }

  async leave(reason: string): Promise<void> {
    const mesh = this.mesh
    const room = mesh?.room
    if (!mesh || !room) return
    mesh.room = null
    room.closed.abort()
    for (const pending of room.pending.values()) pending.decide({ ok: false, code: 'no-host', reason: 'The host left the meeting' })
    await Promise.allSettled(room.liveSessions().map((s) => s.close('left')))
    for (const m of room.members.values()) mesh.node.services.signal.forget(m.peer)
    await room.rendezvous?.withdraw()
    await room.chat?.flush()
    this.ctx.emit('room.ended', { roomId: room.roomId, reason })
  }

  private async signal(roomId: string, to: string, signal: SignalPayload): Promise<{ ok: true }> {
    const mesh = await this.ready()
    const room = mesh.joined(roomId)
    const member = room?.members.get(to)
    if (!room || !member?.session?.alive) throw new DymError('not-found', 'That person is not in this meeting (any more)')
    try {
      await mesh.node.services.signal.send(member.peer, roomId, signal)
    } catch (err) {
      throw new DymError('unavailable', `Could not reach ${member.person.displayName}: ${err instanceof Error ? err.message : String(err)}`)
    }
    return { ok: true }
  }

  private async chat(roomId: string, text: string): Promise<ChatMessage> {
    const mesh = await this.ready()
    const room = mesh.joined(roomId)
    if (!room?.chat) throw new DymError('not-found', 'You are not in that meeting')
    try {
      mesh.chatOut.consume(roomId)
    } catch {
      throw new DymError('denied', 'You are sending messages faster than others will accept them: wait a moment')
    }
    const id = base64urlnopad.encode(randomBytes(12))
    const message: ChatMessage = { id, roomId, from: room.self.person, text, sentAt: Date.now(), seq: room.chat.nextSeq() }
    room.chat.add(message)
    // Sent in call order on each member's one stream: per-sender order holds end to end.
    for (const s of room.liveSessions()) s.send({ t: 'chat', id, seq: message.seq, sentAt: message.sentAt, text }).catch(() => undefined)
    return message
  }

  private async notice(roomId: string, notice: Notice): Promise<{ ok: true }> {
    const mesh = await this.ready()
    const room = mesh.joined(roomId)
    if (!room) throw new DymError('not-found', 'You are not in that meeting')
    const at = Date.now()
    if (applyNotice(room, null, notice)) mesh.update()
    for (const s of room.liveSessions()) s.send({ t: 'notice', notice, at }).catch(() => undefined)
    return { ok: true }
  }

  private viewOf(mesh: RoomMesh, room: ActiveRoom): RoomView {
    return room.view(this.inviteOf(mesh, room), (m) => mesh.routeOf(m))
  }

  private inviteOf(mesh: RoomMesh, room: ActiveRoom): string {
    return encodeInvite({
      roomId: room.roomId,
      roomKey: room.key,
      title: room.title,
      addrs: orderInviteAddrs(mesh.node.getMultiaddrs().map(String))
    })
  }
}

/** A pre-join connection that has not opened by then is left to room.join's own dial. */
const PRECONNECT_TIMEOUT_MS = 10_000
/** An invite names the host and a few members; more than this is not worth a connection each. */
const PRECONNECT_MAX_PEERS = 8

function readInvite(text: string): ReturnType<typeof parseInvite> {
  try {
    return parseInvite(text)
  } catch (err) {
    if (err instanceof InviteError) throw new DymError('bad-request', err.message)
    throw err
  }
}
