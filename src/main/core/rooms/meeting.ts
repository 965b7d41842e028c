import type { PeerId } from '@libp2p/interface'
import type { PersonView } from '../../../shared/contract/people'
import type { ChatMessage, Notice, RoomRules, RoomView } from '../../../shared/contract/rooms'
import type { Admission, MemberAddress, RoomFacts, RoomSession, SessionEnd, SessionFrame } from '../p2p/protocols/room/index'
import type { ChatLog } from './chat-log'
import { roomView, type MemberState, type Route, type SelfState } from './member'
import { MeetingChat } from './meeting-chat'
import { MeetingDoor } from './meeting-door'
import type { MeetingIce } from './meeting-ice'
import { MeetingKeys } from './meeting-keys'
import type { RememberedMeeting } from './meeting-memory'
import { MeetingModeration, type ModeratedMeeting } from './meeting-moderation'
import type { MeetingPorts } from './meeting-ports'
import { MemberLinks, type LinkOwner } from './member-links'
import { MemberRoster } from './member-roster'
import { MeshForming, type GossipDials } from './mesh-forming'
import { MeetingNotices } from './notices'
import type { Rendezvous } from './rendezvous'

export type { MeetingPorts } from './meeting-ports'

type RoomFrame = Exclude<SessionFrame, { t: 'hb' } | { t: 'leave' }>

/** A welcome lists at most this many members (it has a size limit). */
const MAX_WELCOME_MEMBERS = 100

/**
 * The meeting we are in, and the only writer of its state. Its parts each keep one slice and are
 * changed only from here: the roster (members, sessions, presence), the door (who gets in), the
 * keys (the room key now and the ids it has had), moderation, mesh forming, chat; besides, the
 * room's facts (title, rules, host), our own state and who records. Everything that changes it
 * is an intent: open it, enter it, attach a session, admit, a frame arrived, send chat or a
 * notice, moderate, leave. `joining` until the first member welcomes us (or we opened it); only a
 * joined meeting answers other people's handshakes.
 */
export class Meeting implements LinkOwner, ModeratedMeeting {
  readonly joinedAt = Date.now()
  readonly links: MemberLinks
  readonly chat: MeetingChat
  readonly moderation: MeetingModeration
  private readonly roster: MemberRoster
  private readonly door: MeetingDoor
  private readonly keys: MeetingKeys
  private readonly mesh: MeshForming
  private phase: 'joining' | 'joined' = 'joining'
  private roomTitle: string
  private roomRules: RoomRules = { mode: 'open' }
  private host = ''
  private readonly self: SelfState
  private readonly notices = new MeetingNotices()
  /** sessions that came up while we were still joining: attached once we are in */
  private readonly early: RoomSession[] = []
  /** who the member that let us in said was in the meeting: their arrival is not news to us */
  private readonly hereBeforeUs = new Set<string>()
  private readonly abort = new AbortController()
  private updateQueued = false
  private remembering: Promise<void> = Promise.resolve()

  constructor(
    /** the id we know this meeting by (the contract's, the chat's and the UI's): it never changes */
    readonly roomId: string,
    key: Uint8Array,
    title: string,
    selfPerson: PersonView,
    chatLog: ChatLog,
    /** the STUN/TURN servers of the meeting's relays, asked from now until we leave */
    readonly ice: MeetingIce,
    private readonly ports: MeetingPorts
  ) {
    this.roomTitle = title
    this.self = { person: selfPerson, muted: false, cameraOff: false, handRaised: false }
    this.keys = new MeetingKeys(key, (k) => ports.rendezvousFor(k))
    this.roster = new MemberRoster(selfPerson.peerId)
    this.links = new MemberLinks(this, ports.network, ports.tuning, ports.log)
    this.links.useRelays(ice.relays)
    this.chat = new MeetingChat(chatLog, roomId)
    this.moderation = new MeetingModeration(this, () => this.host, { emit: ports.emit, sign: ports.sign, log: ports.log })
    this.door = new MeetingDoor(this, (person) => ports.emit('room.join-request', { roomId, person }))
    this.mesh = new MeshForming({
      selfId: selfPerson.peerId,
      links: this.links,
      tuning: ports.tuning,
      addrsOf: (peer) => ports.addrsOf(peer),
      busyWith: (id) => this.busyWith(id),
      strike: (peer) => ports.strike(peer)
    })
  }

  /** Aborted when we leave: stops discovery loops, dials and knocking. */
  get closed(): AbortSignal {
    return this.abort.signal
  }

  get joined(): boolean {
    return this.phase === 'joined' && !this.closed.aborted
  }

  get title(): string {
    return this.roomTitle
  }

  get rules(): RoomRules {
    return this.roomRules
  }

  get creator(): string {
    return this.host
  }

  get selfId(): string {
    return this.self.person.peerId
  }

  get isHost(): boolean {
    return this.host === this.selfId
  }

  /** The room key now: what a joiner must prove, and what the invite carries. */
  get key(): Uint8Array {
    return this.keys.key
  }

  /** The meeting's id on the wire now (the hash of the current key): what handshakes name. */
  get wireId(): string {
    return this.keys.wireId
  }

  /** Any id this meeting has had on the wire: signals and sessions from before a new key still count. */
  knowsWireId(id: string): boolean {
    return this.keys.knows(id)
  }

  wireIdsLatestFirst(): string[] {
    return this.keys.latestFirst()
  }

  get rendezvous(): Rendezvous {
    return this.keys.rendezvous
  }

  // ---- entering and leaving ----

  /** We made this meeting: we are its host, and in it at once. */
  openAsHost(rules: RoomRules): void {
    this.roomRules = rules
    this.host = this.selfId
    this.phase = 'joined'
    void this.remember()
  }

  /**
   * Nobody is in this meeting: open it again from its invite, with what we remember of it (its
   * rules and host; an open meeting if we were never in it). The first to arrive is the one the
   * others find.
   */
  reopen(remembered: RememberedMeeting | null): void {
    this.roomRules = remembered?.rules ?? { mode: 'open' }
    this.host = remembered?.creator ?? ''
    this.roomTitle = this.roomTitle || remembered?.title || ''
    this.phase = 'joined'
    for (const session of this.early.splice(0)) this.attach(session)
    void this.remember()
  }

  /** A member welcomed us: take the room's facts from it, and reach the others in the background. */
  enter(first: RoomSession): void {
    const facts = first.facts!
    this.roomRules = facts.rules
    this.host = facts.creator
    this.roomTitle = facts.title || this.roomTitle
    this.phase = 'joined'
    this.door.admittedByHost(facts.admitted)
    this.moderation.learn(facts)
    this.hereBeforeUs.add(first.peer.toString())
    for (const m of facts.members) this.hereBeforeUs.add(m.peerId)
    this.attach(first)
    for (const session of this.early.splice(0)) this.attach(session)
    // The call can start with whoever let us in; the others appear through room.updated.
    void this.links.connectTo(facts.members, this.ports.tuning.membersWaitMs)
    void this.remember()
  }

  /** The join failed or was cancelled: close what came up meanwhile. */
  abandon(): void {
    this.abort.abort()
    this.ice.stop()
    for (const session of this.early.splice(0)) void session.close('local')
  }

  async leave(reason: string): Promise<void> {
    const memory = this.remember()
    this.abort.abort()
    this.ice.stop()
    this.door.close('The host left the meeting')
    await Promise.allSettled(this.liveSessions().map((s) => s.close('left')))
    for (const m of this.roster.all()) this.ports.forgetSignal(m.peer)
    await this.keys.rendezvous.withdraw()
    await this.chat.log.flush()
    await memory
    this.ports.emit('room.ended', { roomId: this.roomId, reason })
  }

  // ---- sessions ----

  /** A session with a member is up (either side dialled): make it the member's link. */
  attach(session: RoomSession): void {
    const removed = this.moderation.state.removed.has(session.peer.toString())
    if (!this.knowsWireId(session.roomId) || removed || this.closed.aborted) {
      void session.close('local')
      return
    }
    if (this.phase === 'joining') {
      this.early.push(session)
      return
    }
    const placed = this.roster.place(session)
    if (!placed) return
    const { member, isNew } = placed
    this.door.attached(session.peer.toString())
    session.start({
      frame: (frame) => this.onFrame(member, frame),
      end: (reason) => this.sessionEnded(member, session, reason)
    })
    for (const frame of this.notices.forNewcomer(this.self)) session.send(frame).catch(() => undefined)
    // Have the signalling stream ready before the first WebRTC offer (either side may make it:
    // the other side writes on the stream we open, so one opening serves both).
    if (session.initiator) this.ports.warmSignal(session.peer)
    if (isNew) void this.mesh.announce(member.peer, this.liveSessions())
    this.changed()
  }

  private sessionEnded(member: MemberState, session: RoomSession, reason: SessionEnd): void {
    if (this.closed.aborted) return
    const ended = this.roster.ended(member, session, reason)
    if (!ended) return
    if (ended.gone) this.wentAway(member)
    if (ended.gone === 'timed-out') void this.links.heal(member.peer)
    if (ended.away) void this.links.reconnect(member.peer)
    this.changed()
  }

  linkLost(peerId: string): void {
    const member = this.roster.lost(peerId)
    if (!member) return
    this.wentAway(member)
    void this.links.heal(member.peer)
    this.changed()
  }

  /** A member is gone: it records nothing any more, and its signalling stream is closed. */
  private wentAway(member: MemberState): void {
    this.notices.gone(member.peer.toString())
    this.ports.forgetSignal(member.peer)
    this.ports.log.info(`${member.person.displayName} (${member.peer.toString().slice(-8)}) is gone: ${member.goneReason}`)
  }

  // ---- what the room protocol asks of us ----

  admit(peer: PeerId, person: PersonView, tellJoiner: (reason: string) => Promise<void>, signal?: AbortSignal): Promise<Admission> {
    return this.door.admit(peer.toString(), person, tellJoiner, signal)
  }

  /** The host's answer to someone waiting; false when nobody with that id waits. */
  answerAsk(peerId: string, admit: boolean): boolean {
    return this.door.answer(peerId, admit)
  }

  /** The room's facts for a newcomer we welcome, and the members it should reach itself. */
  async facts(forPeer?: PeerId): Promise<RoomFacts> {
    const live = this.liveMembers()
    const listed = (forPeer ? this.mesh.welcome(forPeer, live) : live).slice(0, MAX_WELCOME_MEMBERS)
    const members = await this.addressesOf(listed)
    return {
      title: this.roomTitle,
      rules: this.roomRules,
      creator: this.host,
      members,
      admitted: this.door.admittedList(),
      ...this.moderation.tell()
    }
  }

  /** Signals are taken from members, and from people we just let in (theirs may race the handshake's end). */
  acceptsSignalFrom(peerId: string): boolean {
    return this.roster.isLive(peerId) || this.door.isJustLetIn(peerId)
  }

  /** A member we have (or had) a session with, gone or not. */
  knows(peerId: string): boolean {
    return this.roster.knows(peerId)
  }

  /** The member with a live session, for signalling to it. */
  livePeer(peerId: string): Pick<MemberState, 'peer' | 'person'> | null {
    const m = this.roster.get(peerId)
    return m?.session?.alive ? { peer: m.peer, person: m.person } : null
  }

  isLiveMember(peerId: string): boolean {
    return this.roster.isLive(peerId)
  }

  isTimedOut(peerId: string): boolean {
    return this.roster.isTimedOut(peerId)
  }

  /**
   * Linked to this peer, or about to be (we are dialling it, or just let it in): dialling it
   * again would only make a second session that one side then drops.
   */
  busyWith(peerId: string): boolean {
    return this.roster.isLive(peerId) || this.links.isDialing(peerId) || this.door.isJustLetIn(peerId)
  }

  liveSessions(): RoomSession[] {
    return this.roster.liveSessions()
  }

  // ---- what members tell us ----

  private onFrame(member: MemberState, frame: RoomFrame): void {
    switch (frame.t) {
      case 'chat': {
        const message = this.chat.received(member.person, frame)
        if (message === 'flood') this.ports.strike(member.peer)
        else if (message) this.ports.emit('chat.message', message)
        return
      }
      case 'notice':
        if (this.notices.apply(member.person, member, frame.notice)) this.changed()
        this.ports.emit('notice.received', { roomId: this.roomId, from: member.person, notice: frame.notice, at: frame.at })
        return
      case 'members':
        return this.mesh.heard(member.peer, frame.members, frame.dial === true)
      case 'admitted':
        // Only the host's word counts.
        if (member.peer.toString() === this.host) this.door.admittedByHost([frame.peerId])
        return
      case 'moderate':
      case 'rekey':
        void this.moderation.received(member.peer, frame)
        return
    }
  }

  /** A peer found by discovery (DHT, LAN, bootstrap) that may be in this meeting: ask it. */
  reachDiscovered(peer: PeerId): void {
    if (this.busyWith(peer.toString())) return
    void this.links.reach(peer, 10_000)
  }

  // ---- what we tell the members ----

  /** Our message to everyone; null when we send faster than others will accept. */
  sendChat(text: string): ChatMessage | null {
    const message = this.chat.compose(this.self.person, text)
    if (!message) return null
    // Sent in call order on each member's one stream: per-sender order holds end to end.
    const frame = { t: 'chat', id: message.id, seq: message.seq, sentAt: message.sentAt, text } as const
    for (const s of this.liveSessions()) s.send(frame).catch(() => undefined)
    return message
  }

  sendNotice(notice: Notice): void {
    const at = Date.now()
    if (this.notices.applyOwn(this.self, notice)) this.changed()
    for (const s of this.liveSessions()) s.send({ t: 'notice', notice, at }).catch(() => undefined)
  }

  // ---- what moderation changes (MeetingModeration decides, these carry it out) ----

  personOf(peerId: string): PersonView | null {
    return peerId === this.selfId ? this.self.person : this.roster.personOf(peerId)
  }

  removeMember(peerId: string): void {
    const removed = this.roster.remove(peerId)
    if (!removed) return
    this.wentAway(removed.member)
    void removed.session?.close('local')
  }

  rekey(key: Uint8Array, byUs: boolean): void {
    const previous = this.key
    this.keys.replace(key, this.closed)
    // The relays are asked under the new key; the old one, when we replaced it, is retired there.
    this.ice.replaceKey(key, byUs ? previous : null)
    void this.remember()
    this.changed()
  }

  removedUs(reason: string): void {
    this.ports.leaveMeeting(reason)
  }

  /** As the host, we name our co-hosts to the meeting's relays: they may retire its key there after we left. */
  coHostsChanged(coHosts: readonly string[]): void {
    if (this.moderation.state.isHost(this.selfId)) this.ice.setDeputies(coHosts)
  }

  // ---- what we keep, and what we show ----

  /** Keep what we know of the meeting on disk; writes go one after the other, the last one wins. */
  private remember(): Promise<void> {
    this.remembering = this.remembering.then(() => this.ports.remember(this.roomId, () => this.memory()))
    return this.remembering
  }

  /** What to remember of this meeting, to open it again when nobody is in it. */
  private async memory(): Promise<RememberedMeeting> {
    return {
      title: this.roomTitle,
      rules: this.roomRules,
      creator: this.host,
      members: await this.addressesOf(this.liveMembers().slice(0, 8))
    }
  }

  private liveMembers(): PeerId[] {
    return this.liveSessions().map((s) => s.peer)
  }

  private addressesOf(peers: readonly PeerId[]): Promise<MemberAddress[]> {
    return Promise.all(peers.map(async (peer) => ({ peerId: peer.toString(), addrs: await this.ports.addrsOf(peer) })))
  }

  /** Counters for tests and diagnostics. */
  diagnostics(): { gossipDials: GossipDials } {
    return { gossipDials: { ...this.mesh.dials } }
  }

  view(): RoomView {
    return roomView({
      roomId: this.roomId,
      title: this.roomTitle,
      invite: this.ports.invite(this),
      key: this.key,
      rules: this.roomRules,
      creator: this.host,
      coHosts: this.moderation.state.coHosts,
      hereBeforeUs: this.hereBeforeUs,
      locked: this.moderation.state.locked,
      joinedAt: this.joinedAt,
      self: this.self,
      members: this.roster.all(),
      recorders: this.notices.recording(),
      consentRequests: this.notices.consentRequests(),
      routeOf: (m) => this.routeOf(m)
    })
  }

  private routeOf(member: MemberState): Route {
    if (member.presence === 'gone') return 'unreachable'
    if (!member.session?.alive) return 'connecting'
    return this.ports.routeTo(member.peer)
  }

  /** The view changed (a member, a route, a notice): emit it once per burst of changes. */
  changed(): void {
    if (this.updateQueued) return
    this.updateQueued = true
    queueMicrotask(() => {
      this.updateQueued = false
      if (this.joined) this.ports.emit('room.updated', this.view())
    })
  }
}
