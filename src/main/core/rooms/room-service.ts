import { randomBytes } from 'node:crypto'
import { DymError } from '../../../shared/contract/errors'
import type { ChatMessage, ModerationAction, Notice, RoomRules, RoomView, SignalPayload } from '../../../shared/contract/rooms'
import { InviteError, parseInvite, roomIdFromKey, ROOM_KEY_BYTES, type InviteRelay } from '../../../shared/invite'
import type { PeerIdentity } from '../identity/peer-identity'
import type { Service, ServiceContext } from '../service'
import type { AppNode, NetworkOptions } from '../p2p/node'
import type { RoomProtocolInit } from '../p2p/protocols/room/index'
import type { SignalProtocolInit } from '../p2p/protocols/signal/index'
import type { FileProtocolInit } from '../p2p/protocols/file/index'
import type { FileInbox, FileRoute, TransferRooms } from '../transfers/transfer-service'
import { ChatLog } from './chat-log'
import { joinFailedError } from './join-failure'
import { connectedTo, preconnectInvite, raceIntoMeeting } from './join-attempts'
import { JoinFailed, type JoinRace } from './join-race'
import { findInviteByCode } from './invite-lookup'
import { mergeRelays, relaysFromAddrs } from './invite-addrs'
import { Meeting } from './meeting'
import { MeetingIce } from './meeting-ice'
import { recallMeeting } from './meeting-memory'
import { reachabilityOf } from './reachability'
import { NodeLifecycle } from './node-lifecycle'
import { RoomNode } from './room-node'
import { DEFAULT_MEETING_TUNING, type MeetingTuning } from './tuning'

export type RoomMethod =
  | 'room.create'
  | 'room.preconnect'
  | 'room.join'
  | 'room.find-invite'
  | 'room.leave'
  | 'room.current'
  | 'room.admit'
  | 'room.moderate'
  | 'signal.send'
  | 'chat.send'
  | 'chat.history'
  | 'notice.send'
  | 'room.iceServers'
  | 'network.reachability'

export interface RoomServiceOptions {
  /** Who we are to peers. Swap it with `setIdentity` (the node restarts with the new key). */
  identity: PeerIdentity
  /** Listen addresses, bootstrap list, relays, discovery. Swap with `setNetwork`. */
  network: NetworkOptions
  /** Timings (tests shorten them). */
  tuning?: Partial<MeetingTuning>
  /** Protocol knobs (tests raise strike budgets, shorten heartbeats). */
  protocols?: { room?: Omit<RoomProtocolInit, 'host'>; signal?: Omit<SignalProtocolInit, 'host'>; file?: Omit<FileProtocolInit, 'host'> }
  /** Where files members offer us go (none: offers are refused). */
  files?: FileInbox
}

/**
 * Meetings without a server: the contract's room, signalling, chat and notice methods on top of
 * one libp2p node (started, restarted and stopped by NodeLifecycle). One meeting at a time; the meeting itself (members,
 * sessions, admission, chat) is the `Meeting`'s alone.
 */
export class RoomService implements Service<RoomMethod>, TransferRooms {
  readonly name = 'rooms'
  private readonly node: NodeLifecycle
  private meeting: Meeting | null = null
  private race: JoinRace | null = null
  private identity: PeerIdentity
  private network: NetworkOptions
  private readonly tuning: MeetingTuning

  constructor(
    private readonly ctx: ServiceContext,
    private readonly options: RoomServiceOptions
  ) {
    this.identity = options.identity
    this.network = options.network
    this.tuning = { ...DEFAULT_MEETING_TUNING, ...options.tuning }
    this.node = new NodeLifecycle(
      ctx.log,
      () =>
        RoomNode.start({
          ctx: this.ctx,
          identity: this.identity,
          network: this.network,
          tuning: this.tuning,
          protocols: this.options.protocols,
          files: this.options.files,
          meeting: () => this.meeting,
          race: () => this.race,
          relays: () => [...(this.meeting?.ice.relays ?? this.ownRelays())]
        }),
      (reason) => this.leave(reason)
    )
  }

  readonly handlers = {
    'room.create': (req: { title: string; rules: RoomRules }) => this.create(req.title, req.rules),
    'room.preconnect': (req: { invite: string }) => this.preconnect(req.invite),
    'room.join': (req: { invite: string }) => this.join(req.invite),
    'room.find-invite': async (req: { code: string }) => {
      const running = await this.ready()
      const lanWaitMs = this.network.mdns === false ? 0 : undefined
      return {
        invite: await findInviteByCode({ node: running.node, code: req.code, knownPeers: running.discovery.knownPeers(), lanWaitMs })
      }
    },
    'room.leave': async (req: { roomId: string }) => {
      if (this.meeting?.roomId === req.roomId) await this.leave('You left the meeting')
      return { ok: true as const }
    },
    'room.current': async () => {
      await this.ready()
      return this.meeting?.joined ? this.meeting.view() : null
    },
    'room.moderate': async (req: { roomId: string; action: ModerationAction }) => {
      const meeting = await this.joined(req.roomId)
      if (!meeting) throw new DymError('not-found', 'You are not in that meeting')
      await meeting.moderation.moderate(req.action)
      return { ok: true as const }
    },
    'room.admit': async (req: { roomId: string; peerId: string; admit: boolean }) => {
      const meeting = await this.joined(req.roomId)
      if (!meeting?.answerAsk(req.peerId, req.admit)) throw new DymError('not-found', 'Nobody with that id is waiting to be let in')
      return { ok: true as const }
    },
    'signal.send': (req: { roomId: string; to: string; signal: SignalPayload }) => this.signal(req.roomId, req.to, req.signal),
    'chat.send': (req: { roomId: string; text: string }) => this.chat(req.roomId, req.text),
    'chat.history': async (req: { roomId: string }) => {
      const running = await this.ready()
      if (this.meeting?.roomId === req.roomId) return this.meeting.chat.log.history()
      const past = await ChatLog.open(this.ctx.dataDir, req.roomId, running.selfId, this.ctx.log, { create: false })
      return past.history()
    },
    'notice.send': async (req: { roomId: string; notice: Notice }) => {
      const meeting = await this.joined(req.roomId)
      if (!meeting) throw new DymError('not-found', 'You are not in that meeting')
      meeting.sendNotice(req.notice)
      return { ok: true as const }
    },
    'room.iceServers': async (req: { roomId: string }) => {
      const meeting = await this.joined(req.roomId)
      if (!meeting) throw new DymError('not-found', 'You are not in that meeting')
      return meeting.ice.ready()
    },
    'network.reachability': async () => {
      const running = await this.ready()
      return reachabilityOf(running.node.getMultiaddrs().map(String), this.ownRelays().length)
    }
  }

  /** Starts the node in the background (see NodeLifecycle): meeting methods wait for it. */
  async start(): Promise<void> {
    this.node.start()
  }

  /** Resolves once the node runs; throws a DymError (`unavailable`) if it could not start. */
  async whenReady(): Promise<void> {
    await this.node.ready()
  }

  async stop(): Promise<void> {
    await this.node.stop()
  }

  /** Start again with the current identity and network: leaves the meeting (peers see us go). */
  async restart(reason: string): Promise<void> {
    await this.node.restart(reason)
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

  /** Files in chat: the meeting with this id if we are in it, its members now, and a way to reach them. */
  async fileRoute(roomId: string): Promise<FileRoute | null> {
    const running = await this.ready()
    const meeting = await this.joined(roomId)
    if (!meeting) return null
    const members = meeting.liveSessions().flatMap((s) => {
      const person = meeting.personOf(s.peer.toString())
      return person ? [{ peer: s.peer, person }] : []
    })
    return {
      wireId: meeting.wireId,
      closed: meeting.closed,
      members,
      open: (peer, signal) => running.node.services.file.open(peer, { signal })
    }
  }

  /** For tests and the bench: what the meeting we are in counts about itself. */
  diagnostics(): ReturnType<Meeting['diagnostics']> {
    return this.meeting?.diagnostics() ?? { gossipDials: { started: 0, pending: 0 } }
  }

  /** For tests and the bench: the running libp2p node. */
  get libp2p(): AppNode | null {
    return this.node.current?.node ?? null
  }

  private ready(): Promise<RoomNode> {
    return this.node.ready()
  }

  /** The meeting with this id if we are fully in it. */
  private async joined(roomId: string): Promise<Meeting | null> {
    await this.ready()
    const meeting = this.meeting
    return meeting?.joined && meeting.roomId === roomId ? meeting : null
  }

  private async selfPerson(running: RoomNode) {
    const presentation = await this.identity.presentation()
    if (presentation === null) throw new DymError('denied', 'Sign in or choose a guest name before joining a meeting')
    const check = await running.host.verify(presentation, running.node.peerId)
    if (!check.ok) throw new DymError('denied', `Your own identity does not check out: ${check.reason}`)
    return check.person
  }

  /**
   * A new meeting object for `roomId` (not yet entered), after checking we are free. Its relays
   * (the invite's, then ours) are asked for STUN/TURN from now: the call needs them before its
   * first offer.
   */
  private async newMeeting(
    running: RoomNode,
    roomId: string,
    key: Uint8Array,
    title: string,
    inviteRelays: readonly InviteRelay[]
  ): Promise<Meeting> {
    this.notBusy()
    // Side by side: on a busy machine each await waits for a CPU, and a join waits for these.
    const [person, chat] = await Promise.all([
      this.selfPerson(running),
      ChatLog.open(this.ctx.dataDir, roomId, running.selfId, this.ctx.log)
    ])
    this.notBusy()
    const meeting: Meeting = new Meeting(
      roomId,
      key,
      title,
      person,
      chat,
      new MeetingIce(running.node, roomId, key, mergeRelays(inviteRelays, this.ownRelays()), this.ctx.emit),
      running.ports({
        leaveMeeting: (reason) => {
          if (this.meeting === meeting) void this.leave(reason)
        }
      })
    )
    this.meeting = meeting
    return meeting
  }

  private notBusy(): void {
    if (this.meeting) throw new DymError('conflict', 'You are already in a meeting: leave it first')
  }

  private async create(title: string, rules: RoomRules): Promise<RoomView> {
    const running = await this.ready()
    const key = new Uint8Array(randomBytes(ROOM_KEY_BYTES))
    const meeting = await this.newMeeting(running, roomIdFromKey(key), key, title, [])
    meeting.openAsHost(rules)
    running.discovery.run(meeting, 'opened')
    return meeting.view()
  }

  /**
   * Connect to the invite's members before the user presses Join (libp2p connections only, no
   * room protocol): room.join then finds the connections open, which saves it the transport and
   * Noise handshakes (0.2-0.9 s each on a busy machine). Not while in a meeting.
   */
  private async preconnect(
    text: string
  ): Promise<{ reachable: boolean; roomId?: string; self?: string; members?: string[]; relays?: boolean }> {
    const running = await this.ready()
    const invite = readInvite(text)
    if (this.meeting) return { reachable: this.meeting.roomId === invite.roomId }
    const { reached, relays } = await preconnectInvite(running, invite, this.ownRelays())
    return { reachable: reached.length > 0, roomId: invite.roomId, self: running.selfId, members: reached, relays }
  }

  private async join(text: string): Promise<RoomView> {
    const running = await this.ready()
    const invite = readInvite(text)
    if (this.meeting?.roomId === invite.roomId && this.meeting.joined) return this.meeting.view()
    const [meeting, remembered] = await Promise.all([
      this.newMeeting(running, invite.roomId, invite.roomKey, invite.title, invite.relays),
      recallMeeting(this.ctx.dataDir, invite.roomId)
    ])
    const ice = meeting.ice
    // Reachable through the meeting's relays before anyone is told about us: the members a
    // welcome lists, and the ones told of us later, dial us there when they cannot directly.
    this.reachableThrough(running, ice)
    const lan = this.network.mdns !== false
    const race = raceIntoMeeting({
      running,
      meeting,
      invite,
      remembered,
      relays: ice.relays,
      tuning: this.tuning,
      lan,
      emit: this.ctx.emit,
      log: this.ctx.log
    })
    this.race = race

    let first
    try {
      first = await race.result
    } catch (err) {
      if (err instanceof JoinFailed && err.nobodyThere && this.meeting === meeting) {
        meeting.reopen(remembered)
        running.discovery.run(meeting, 'opened')
        this.ctx.log.info(`nobody was in meeting ${meeting.roomId.slice(0, 8)}: opened it again`)
        return meeting.view()
      }
      if (this.meeting === meeting) this.meeting = null
      meeting.abandon()
      throw joinFailedError(err, {
        relays: ice.relays.length,
        circuitAddrs: invite.addrs.some((a) => a.includes('/p2p-circuit')),
        relayReached: () => ice.relayState() === 'reached' || ice.relays.some((r) => connectedTo(running, r.peerId)),
        refused: (refusal) => this.ctx.emit('room.refused', { roomId: meeting.roomId, code: refusal.code, reason: refusal.reason })
      })
    } finally {
      if (this.race === race) this.race = null
    }
    meeting.enter(first)
    running.discovery.run(meeting, 'entered')
    return meeting.view()
  }

  async leave(reason: string): Promise<void> {
    const meeting = this.meeting
    if (!meeting) return
    this.meeting = null
    await meeting.leave(reason)
  }

  /** Relays from our own settings (and the host's flags). */
  private ownRelays() {
    return relaysFromAddrs(this.network.relays ?? [])
  }

  /**
   * In the meeting: hold a reservation on its relays (the invite's), so members who cannot reach
   * us directly (a third person behind another NAT) reach us through them.
   */
  private reachableThrough(running: RoomNode, ice: MeetingIce): void {
    void running.node.services.reservations.reserveOn(ice.relayAddrs())
  }

  private async signal(roomId: string, to: string, signal: SignalPayload): Promise<{ ok: true }> {
    const running = await this.ready()
    const meeting = await this.joined(roomId)
    const peer = meeting?.livePeer(to)
    if (!meeting || !peer) throw new DymError('not-found', 'That person is not in this meeting (any more)')
    try {
      await running.node.services.signal.send(peer.peer, meeting.wireId, signal)
    } catch (err) {
      throw new DymError('unavailable', `Could not reach ${peer.person.displayName}: ${err instanceof Error ? err.message : String(err)}`)
    }
    return { ok: true }
  }

  private async chat(roomId: string, text: string): Promise<ChatMessage> {
    const meeting = await this.joined(roomId)
    if (!meeting) throw new DymError('not-found', 'You are not in that meeting')
    const message = meeting.sendChat(text)
    if (!message) throw new DymError('denied', 'You are sending messages faster than others will accept them: wait a moment')
    return message
  }
}

function readInvite(text: string): ReturnType<typeof parseInvite> {
  try {
    return parseInvite(text)
  } catch (err) {
    if (err instanceof InviteError) throw new DymError('bad-request', err.message)
    throw err
  }
}
