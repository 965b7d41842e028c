import type { PeerId } from '@libp2p/interface'
import QuickLRU from 'quick-lru'
import type { PersonView } from '../../../shared/contract/people'
import type { ChatMessage, Notice, RoomRules, RoomView } from '../../../shared/contract/rooms'
import { roomIdFromKey } from '../../../shared/invite'
import type { Logger } from '../log'
import type { Admission, ChatFrame, MemberAddress, RoomFacts, RoomSession, SessionEnd, SessionFrame } from '../p2p/protocols/room/index'
import type { Emit } from '../service'
import { AskQueue, judgeByRules } from './admission'
import type { ChatLog } from './chat-log'
import type { RememberedMeeting } from './meeting-memory'
import { MeetingChat } from './meeting-chat'
import { newMember, roomView, type GoneReason, type MemberState, type Route, type SelfState } from './member'
import { MemberLinks, type LinkOwner, type MeetingNetwork } from './member-links'
import { MeshForming, type GossipDials } from './mesh-forming'
import { MeetingModeration, type ModeratedMeeting } from './meeting-moderation'
import type { Sign } from './moderation'
import { applyNotice, selfStateFrames } from './notices'
import type { Rendezvous } from './rendezvous'
import { ADMISSION_GRACE_MS, MAX_REMEMBERED_MEMBERS, type MeetingTuning } from './tuning'

/** What a meeting needs from the node it runs on. */
export interface MeetingPorts {
  readonly network: MeetingNetwork
  readonly emit: Emit
  readonly log: Logger
  readonly tuning: MeetingTuning
  /** The invite for this meeting, with our current addresses. */
  invite(meeting: Meeting): string
  /** How our open connection to a peer runs (only asked for members with a live session). */
  routeTo(peer: PeerId): 'direct' | 'relayed'
  addrsOf(peer: PeerId): Promise<string[]>
  /** Open the signalling stream ahead of the first offer. */
  warmSignal(peer: PeerId): void
  forgetSignal(peer: PeerId): void
  /** A member broke the room's limits (chat flood): a strike on its record. */
  strike(peer: PeerId): void
  /** Keep what we know of the meeting on disk (never fails: a failure is only logged). */
  remember(meeting: Meeting): Promise<void>
  /** DHT announce and lookup under a room key. */
  rendezvousFor(key: Uint8Array): Rendezvous
  /** Sign with this device's key. */
  sign: Sign
  /** We have to leave (the host removed us): the room service ends the meeting with this reason. */
  leaveMeeting(reason: string): void
}

type RoomFrame = Exclude<SessionFrame, { t: 'hb' } | { t: 'leave' }>

/**
 * The meeting we are in, and the only writer of its state: members and their sessions, presence,
 * admission (the host's queue and the grace for newcomers), recorders, our own state, chat.
 * Everything that changes it is an intent here: attach a session, admit, a frame arrived, send
 * chat or a notice, leave. `joining` until the first member welcomes us (or we created it); only
 * a joined meeting answers other people's handshakes.
 */
export class Meeting implements LinkOwner, ModeratedMeeting {
  readonly joinedAt = Date.now()
  readonly links: MemberLinks
  private phase: 'joining' | 'joined' = 'joining'
  private roomTitle: string
  private rules: RoomRules = { mode: 'open' }
  private creator = ''
  private readonly self: SelfState
  private readonly members = new Map<string, MemberState>()
  /** who records the meeting now, by peer id, in the order they started */
  private readonly recorders = new Map<string, PersonView>()
  /** people the host of an ask-to-join meeting let in: every member admits them */
  private readonly admitted = new QuickLRU<string, true>({ maxSize: 500 })
  /** people we just let in whose session is not attached yet */
  private readonly justAdmitted = new QuickLRU<string, true>({ maxSize: 500, maxAge: ADMISSION_GRACE_MS })
  /** sessions that came up while we were still joining: attached once we are in */
  private readonly early: RoomSession[] = []
  private readonly asks: AskQueue
  private readonly mesh: MeshForming
  readonly chat: MeetingChat
  private readonly abort = new AbortController()
  private updateQueued = false
  private remembering: Promise<void> = Promise.resolve()
  /** the room key now (the host replaces it when it removes someone) */
  private currentKey: Uint8Array
  private currentRendezvous: Rendezvous
  /** every id this meeting has had on the wire, the current one last */
  private readonly wireIds = new Set<string>()
  readonly moderation: MeetingModeration

  constructor(
    /** the id we know this meeting by (the contract's, the chat's and the UI's): it never changes */
    readonly roomId: string,
    key: Uint8Array,
    title: string,
    selfPerson: PersonView,
    chatLog: ChatLog,
    private readonly ports: MeetingPorts
  ) {
    this.currentKey = key
    this.wireIds.add(roomIdFromKey(key))
    this.currentRendezvous = ports.rendezvousFor(key)
    this.roomTitle = title
    this.self = { person: selfPerson, muted: false, cameraOff: false, handRaised: false }
    this.links = new MemberLinks(this, ports.network, ports.tuning, ports.log)
    this.asks = new AskQueue((person) => ports.emit('room.join-request', { roomId, person }))
    this.chat = new MeetingChat(chatLog, roomId)
    this.moderation = new MeetingModeration(this, () => this.creator, { emit: ports.emit, sign: ports.sign, log: ports.log })
    this.mesh = new MeshForming({
      selfId: selfPerson.peerId,
      links: this.links,
      tuning: ports.tuning,
      closed: this.closed,
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

  /** The room key now: what a joiner must prove, and what the invite carries. */
  get key(): Uint8Array {
    return this.currentKey
  }

  /** The meeting's id on the wire now (the hash of the current key): what handshakes name. */
  get wireId(): string {
    return [...this.wireIds].at(-1)!
  }

  wireIdsLatestFirst(): string[] {
    return [...this.wireIds].reverse()
  }

  /** Any id this meeting has had: signals and sessions from before a new key still count. */
  knowsWireId(id: string): boolean {
    return this.wireIds.has(id)
  }

  get rendezvous(): Rendezvous {
    return this.currentRendezvous
  }

  get isHost(): boolean {
    return this.creator === this.self.person.peerId
  }

  // ---- entering and leaving ----

  /** We made this meeting: we are its host, and in it at once. */
  openAsHost(rules: RoomRules): void {
    this.rules = rules
    this.creator = this.self.person.peerId
    this.phase = 'joined'
    void this.remember()
  }

  /**
   * Nobody is in this meeting: open it again from its invite, with what we remember of it (its
   * rules and host; an open meeting if we were never in it). The first to arrive is the one the
   * others find.
   */
  reopen(remembered: RememberedMeeting | null): void {
    this.rules = remembered?.rules ?? { mode: 'open' }
    this.creator = remembered?.creator ?? ''
    this.roomTitle = this.roomTitle || remembered?.title || ''
    this.phase = 'joined'
    for (const session of this.early.splice(0)) this.attach(session)
    void this.remember()
  }

  /** A member welcomed us: take the room's facts from it, and reach the others in the background. */
  enter(first: RoomSession): void {
    const facts = first.facts!
    this.rules = facts.rules
    this.creator = facts.creator
    this.roomTitle = facts.title || this.roomTitle
    this.phase = 'joined'
    for (const id of facts.admitted) this.admitted.set(id, true)
    for (const id of facts.coHosts ?? []) this.moderation.state.coHosts.add(id)
    for (const id of facts.removed ?? []) this.moderation.state.removed.set(id, true)
    this.moderation.state.locked = facts.locked ?? false
    this.attach(first)
    for (const session of this.early.splice(0)) this.attach(session)
    // The call can start with whoever let us in; the others appear through room.updated.
    void this.links.connectTo(facts.members, this.ports.tuning.membersWaitMs)
    void this.remember()
  }

  /** The join failed or was cancelled: close what came up meanwhile. */
  abandon(): void {
    this.abort.abort()
    for (const session of this.early.splice(0)) void session.close('local')
  }

  async leave(reason: string): Promise<void> {
    const memory = this.remember()
    this.abort.abort()
    this.asks.refuseAll('The host left the meeting')
    await Promise.allSettled(this.liveSessions().map((s) => s.close('left')))
    for (const m of this.members.values()) this.ports.forgetSignal(m.peer)
    await this.currentRendezvous.withdraw()
    await this.chat.log.flush()
    await memory
    this.ports.emit('room.ended', { roomId: this.roomId, reason })
  }

  // ---- sessions ----

  /** A session with a member is up (either side dialled): make it the member's link. */
  attach(session: RoomSession): void {
    if (!this.knowsWireId(session.roomId) || this.moderation.state.removed.has(session.peer.toString()) || this.closed.aborted) {
      void session.close('local')
      return
    }
    if (this.phase === 'joining') {
      this.early.push(session)
      return
    }
    const id = session.peer.toString()
    const existing = this.members.get(id)
    const current = existing?.session
    if (current?.alive && current !== session) {
      if (current.remoteInstance === session.remoteInstance && !this.preferNew(session)) {
        void session.close('superseded')
        return
      }
      existing!.session = null
      void current.close('superseded')
    }
    const isNew = !existing || existing.presence === 'gone'
    const member = existing ?? newMember(session)
    if (existing?.presence === 'gone') Object.assign(member, { joinedAt: Date.now(), muted: false, cameraOff: false, handRaised: false })
    Object.assign(member, { person: session.person, session, presence: 'present', goneReason: undefined })
    this.members.set(id, member)
    this.justAdmitted.delete(id)
    session.start({
      frame: (frame) => this.onFrame(member, frame),
      end: (reason) => this.sessionEnded(member, session, reason)
    })
    for (const frame of selfStateFrames(this.self, this.recorders.has(this.self.person.peerId))) session.send(frame).catch(() => undefined)
    // Have the signalling stream ready before the first WebRTC offer (either side may make it:
    // the other side writes on the stream we open, so one opening serves both).
    if (session.initiator) this.ports.warmSignal(session.peer)
    if (isNew) void this.mesh.announce(member.peer, this.liveSessions())
    this.prune()
    this.changed()
  }

  /** Two live sessions between the same two running nodes: keep the one the smaller peer id dialled. */
  private preferNew(next: RoomSession): boolean {
    return next.initiator === this.self.person.peerId < next.peer.toString()
  }

  private sessionEnded(member: MemberState, session: RoomSession, reason: SessionEnd): void {
    if (member.session !== session || this.closed.aborted) return
    member.session = null
    if (reason === 'left') this.markGone(member, 'left')
    else if (reason === 'timeout') this.markGone(member, 'timed-out')
    else if (reason === 'banned') this.markGone(member, 'removed')
    else if (reason === 'closed') {
      member.presence = 'away'
      void this.links.reconnect(member.peer)
    }
    this.changed()
  }

  linkLost(peerId: string): void {
    const member = this.members.get(peerId)
    if (!member || member.session?.alive || member.presence === 'gone') return
    this.markGone(member, 'timed-out')
    this.changed()
  }

  private markGone(member: MemberState, reason: GoneReason): void {
    member.presence = 'gone'
    member.goneReason = reason
    member.handRaised = false
    this.recorders.delete(member.peer.toString())
    this.ports.forgetSignal(member.peer)
    this.ports.log.info(`${member.person.displayName} (${member.peer.toString().slice(-8)}) is gone: ${reason}`)
    if (reason === 'timed-out') void this.links.heal(member.peer)
  }

  /** Keep the member list bounded: forget the longest-gone first. */
  private prune(): void {
    if (this.members.size <= MAX_REMEMBERED_MEMBERS) return
    const gone = [...this.members.entries()].filter(([, m]) => m.presence === 'gone').sort((a, b) => a[1].joinedAt - b[1].joinedAt)
    for (const [id] of gone.slice(0, this.members.size - MAX_REMEMBERED_MEMBERS)) this.members.delete(id)
  }

  // ---- what the room protocol asks of us ----

  /** May this verified newcomer come in? Known members and people the host let in may. */
  async admit(peer: PeerId, person: PersonView, tellJoiner: (reason: string) => Promise<void>, signal?: AbortSignal): Promise<Admission> {
    const id = peer.toString()
    if (this.moderation.state.removed.has(id)) return { ok: false, code: 'declined', reason: 'The host removed you from this meeting' }
    const known = id === this.creator || this.admitted.has(id) || this.members.has(id)
    if (!known && this.moderation.state.locked)
      return { ok: false, code: 'declined', reason: 'The host has locked this meeting: nobody new can join' }
    let admission: Admission = { ok: true }
    if (!known) {
      const judged = judgeByRules(this.rules, this.isHost, person)
      admission = judged === 'ask' ? await this.asks.ask(id, person, tellJoiner, signal) : judged
      if (judged === 'ask' && admission.ok) {
        this.admitted.set(id, true)
        for (const s of this.liveSessions()) s.send({ t: 'admitted', peerId: id }).catch(() => undefined)
      }
    }
    if (admission.ok) this.justAdmitted.set(id, true)
    return admission
  }

  /** The host's answer to someone waiting; false when nobody with that id waits. */
  answerAsk(peerId: string, admit: boolean): boolean {
    return this.asks.answer(peerId, admit)
  }

  /** The room's facts for a newcomer we welcome, and the members it should reach itself. */
  async facts(forPeer?: PeerId): Promise<RoomFacts> {
    const members: MemberAddress[] = []
    for (const m of this.members.values()) {
      if (m.session?.alive) members.push({ peerId: m.peer.toString(), addrs: await this.ports.addrsOf(m.peer) })
    }
    if (forPeer)
      this.mesh.welcomed(
        forPeer.toString(),
        members.map((m) => m.peerId)
      )
    return {
      title: this.roomTitle,
      rules: this.rules,
      creator: this.creator,
      members: members.slice(0, 100),
      admitted: [...this.admitted.keys()].slice(-200),
      coHosts: [...this.moderation.state.coHosts].slice(0, 50),
      locked: this.moderation.state.locked,
      removed: [...this.moderation.state.removed.keys()].slice(-200)
    }
  }

  /** Signals are taken from members, and from people we just let in (theirs may race the handshake's end). */
  acceptsSignalFrom(peerId: string): boolean {
    return this.isLiveMember(peerId) || this.justAdmitted.has(peerId)
  }

  /** A member we have (or had) a session with, gone or not. */
  knows(peerId: string): boolean {
    return this.members.has(peerId)
  }

  /** The member with a live session, for signalling to it. */
  livePeer(peerId: string): Pick<MemberState, 'peer' | 'person'> | null {
    const m = this.members.get(peerId)
    return m?.session?.alive ? { peer: m.peer, person: m.person } : null
  }

  isLiveMember(peerId: string): boolean {
    return this.members.get(peerId)?.session?.alive === true
  }

  isTimedOut(peerId: string): boolean {
    const m = this.members.get(peerId)
    return m?.presence === 'gone' && m.goneReason === 'timed-out'
  }

  /**
   * Linked to this peer, or about to be (we are dialling it, or just let it in): dialling it
   * again would only make a second session that one side then drops.
   */
  busyWith(peerId: string): boolean {
    return this.isLiveMember(peerId) || this.links.isDialing(peerId) || this.justAdmitted.has(peerId)
  }

  // ---- what members tell us ----

  private onFrame(member: MemberState, frame: RoomFrame): void {
    switch (frame.t) {
      case 'chat':
        return this.chatArrived(member, frame)
      case 'notice':
        if (applyNotice(member.person, member, this.recorders, frame.notice)) this.changed()
        this.ports.emit('notice.received', { roomId: this.roomId, from: member.person, notice: frame.notice, at: frame.at })
        return
      case 'members':
        return this.mesh.heard(member.peer, frame.members, frame.dial === true)
      case 'admitted':
        // Only the host's word counts.
        if (member.peer.toString() === this.creator) this.admitted.set(frame.peerId, true)
        return
      case 'moderate':
      case 'rekey':
        void this.moderation.received(member.peer, frame)
        return
    }
  }

  private chatArrived(member: MemberState, frame: ChatFrame): void {
    const message = this.chat.received(member.person, frame)
    if (message === 'flood') this.ports.strike(member.peer)
    else if (message) this.ports.emit('chat.message', message)
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
    if (applyNotice(this.self.person, this.self, this.recorders, notice)) this.changed()
    for (const s of this.liveSessions()) s.send({ t: 'notice', notice, at }).catch(() => undefined)
  }

  /** Keep what we know of the meeting on disk; writes go one after the other, the last one wins. */
  private remember(): Promise<void> {
    this.remembering = this.remembering.then(() => this.ports.remember(this))
    return this.remembering
  }

  /** What to remember of this meeting, to open it again when nobody is in it. */
  async memory(): Promise<RememberedMeeting> {
    const members: MemberAddress[] = []
    for (const m of this.members.values()) {
      if (m.session?.alive && members.length < 8) members.push({ peerId: m.peer.toString(), addrs: await this.ports.addrsOf(m.peer) })
    }
    return { title: this.roomTitle, rules: this.rules, creator: this.creator, members }
  }

  /** Counters for tests and diagnostics. */
  diagnostics(): { gossipDials: GossipDials } {
    return { gossipDials: { ...this.mesh.dials } }
  }

  // ---- the view ----

  view(): RoomView {
    return roomView({
      roomId: this.roomId,
      title: this.roomTitle,
      invite: this.ports.invite(this),
      rules: this.rules,
      creator: this.creator,
      coHosts: this.moderation.state.coHosts,
      locked: this.moderation.state.locked,
      joinedAt: this.joinedAt,
      self: this.self,
      members: this.members.values(),
      recorders: this.recorders.values(),
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

  // ---- what moderation changes (MeetingModeration decides, these carry it out) ----

  get selfId(): string {
    return this.self.person.peerId
  }

  personOf(peerId: string): PersonView | null {
    if (peerId === this.selfId) return this.self.person
    const m = this.members.get(peerId)
    return m && m.presence !== 'gone' ? m.person : null
  }

  removeMember(peerId: string): void {
    const member = this.members.get(peerId)
    if (!member) return
    const session = member.session
    member.session = null
    if (member.presence !== 'gone') this.markGone(member, 'removed')
    void session?.close('local')
  }

  rekey(key: Uint8Array): void {
    void this.currentRendezvous.withdraw()
    this.currentKey = key
    this.wireIds.add(roomIdFromKey(key))
    this.currentRendezvous = this.ports.rendezvousFor(key)
    void this.currentRendezvous.announce(AbortSignal.any([this.closed, AbortSignal.timeout(10_000)]))
    void this.remember()
    this.changed()
  }

  removedUs(reason: string): void {
    this.ports.leaveMeeting(reason)
  }

  liveSessions(): RoomSession[] {
    const sessions: RoomSession[] = []
    for (const m of this.members.values()) if (m.session?.alive) sessions.push(m.session)
    return sessions
  }
}
