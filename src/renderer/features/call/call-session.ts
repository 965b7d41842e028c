import type { DymApi, Member, Notice, PersonView, RoomView } from '../../../shared/contract/index'
import { ChatStore } from '../chat/chat-store'
import { LevelMeter } from '../media/level-meter'
import type { LocalMedia } from '../media/local-media'
import { ActiveSpeaker, loudness } from './active-speaker'
import { createMeetingMesh, linkedByOf, presentMemberIds, sendLocalMedia } from './meeting-mesh'
import type { MeshEngine } from './mesh-engine'
import type { SignalInbox } from './signal-inbox'
import type { FrameSize } from './tile-fit'
import type { IceSettings, RemotePeerView, StreamRole, VideoQuality } from './types'

export interface CallSettings extends IceSettings {
  videoQuality: VideoQuality
}

export interface SessionToast {
  text: string
  tone?: 'info' | 'success' | 'warning' | 'danger'
  actions?: Array<{ label: string; run: () => void }>
  duration?: number
}

export interface Reaction {
  key: number
  peerId: string
  emoji: string
}

export interface CallState {
  room: RoomView
  /** the other members still in the room (present or away), with their freshest media state */
  members: readonly Member[]
  peers: ReadonlyMap<string, RemotePeerView>
  hands: ReadonlySet<string>
  reactions: readonly Reaction[]
  /** peer id of who is speaking (ours included) */
  speaker: string | null
  joinRequests: readonly PersonView[]
}

export interface CallSessionOptions {
  dym: DymApi
  room: RoomView
  media: LocalMedia
  /** the join's inbox: signals kept since before we joined; the session closes it when it ends */
  signals: SignalInbox
  /** the mesh the join started (its first offers on their way), if it did; else the session makes it */
  engine?: MeshEngine | null
  loadSettings: () => Promise<CallSettings>
  onSettingsChanged?: (listener: (settings: CallSettings) => void) => () => void
  onToast: (toast: SessionToast) => void
  onEnded: (reason: string) => void
}

const REACTION_MS = 4000

/**
 * One meeting from this window's side: the room as the core reports it, the WebRTC mesh, our
 * devices, chat, hands and reactions, behind one snapshot the meeting screen renders. No React
 * here. `retain`/`release` let React's double-run of effects in development start and stop it
 * safely (a release is only final if nobody retains again within the same tick).
 */
export class CallSession {
  readonly chat: ChatStore
  private engine: MeshEngine | null = null
  private state: CallState
  private readonly listeners = new Set<() => void>()
  private readonly cleanups: Array<() => void> = []
  private readonly noticeMedia = new Map<string, { muted: boolean; cameraOff: boolean }>()
  private readonly speakerPicker = new ActiveSpeaker()
  private readonly wanted = new Map<string, boolean>()
  private meter: LevelMeter | null = null
  private meterTrack: MediaStreamTrack | null = null
  private reactionKey = 0
  private started = false
  private closed = false
  private closeTimer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly o: CallSessionOptions) {
    this.chat = new ChatStore(o.dym, o.room.roomId, o.room.self.peerId)
    this.state = { room: o.room, members: [], peers: new Map(), hands: new Set(), reactions: [], speaker: null, joinRequests: [] }
    this.state = { ...this.state, members: this.mergedMembers(o.room) }
  }

  get selfId(): string {
    return this.o.room.self.peerId
  }

  getSnapshot = (): CallState => this.state
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  retain(): void {
    if (this.closeTimer) clearTimeout(this.closeTimer)
    this.closeTimer = null
    if (!this.started) void this.start()
  }

  release(): void {
    this.closeTimer = setTimeout(() => this.close(), 0)
  }

  /** For diagnostics and tests. */
  get mesh(): MeshEngine | null {
    return this.engine
  }

  private async start(): Promise<void> {
    this.started = true
    const { dym, room, media } = this.o
    const loading = this.o
      .loadSettings()
      .catch(() => ({ iceServers: [], iceTransportPolicy: 'all' as const, videoQuality: 'medium' as const }))
    let engine: MeshEngine
    if (this.o.engine) {
      // Already linking: the meeting's STUN/TURN and quality reach it when they are known.
      const given = (engine = this.o.engine)
      void loading.then((s) => {
        if (this.closed) return
        void given.setIce({ iceServers: s.iceServers, iceTransportPolicy: s.iceTransportPolicy })
        given.setVideoQuality(s.videoQuality)
      })
    } else {
      const settings = await loading
      if (this.closed) return
      engine = createMeetingMesh({
        dym,
        roomId: room.roomId,
        selfId: room.self.peerId,
        signals: this.o.signals,
        ice: settings,
        videoQuality: settings.videoQuality
      })
    }
    this.engine = engine
    const local = media.getSnapshot()
    sendLocalMedia(engine, media)
    this.cleanups.push(
      engine.subscribe(() => this.update({ peers: new Map(engine.getSnapshot().map((p) => [p.id, p])) })),
      media.onTrack((kind, track) => {
        if (kind === 'screen') this.onScreenTrack(track)
        else void engine.setLocalTrack(kind, track)
      }),
      media.subscribe(() => this.onLocalMedia()),
      dym.on('room.updated', (view) => view.roomId === room.roomId && this.onRoom(view)),
      dym.on('room.ended', (e) => e.roomId === room.roomId && this.end(e.reason)),
      dym.on('notice.received', (e) => e.roomId === room.roomId && this.onNotice(e.from, e.notice)),
      dym.on('room.join-request', (e) => e.roomId === room.roomId && this.onJoinRequest(e.person))
    )
    if (this.o.onSettingsChanged) {
      this.cleanups.push(
        this.o.onSettingsChanged((s) => {
          void engine.setIce({ iceServers: s.iceServers, iceTransportPolicy: s.iceTransportPolicy })
          engine.setVideoQuality(s.videoQuality)
          media.setQuality(s.videoQuality)
        })
      )
    }
    const levels = setInterval(() => this.sampleSpeaker(), 300)
    this.cleanups.push(() => clearInterval(levels))
    engine.setMembers(presentMemberIds(room), linkedByOf(room))
    this.chat.start()
    this.sendNotice({ kind: 'media', muted: local.micMuted, cameraOff: !local.cameraOn })
    // The room may have changed between our join and our subscription.
    void dym
      .invoke('room.current', {})
      .then((view) => view && view.roomId === room.roomId && this.onRoom(view))
      .catch(() => undefined)
  }

  toggleMic(): void {
    const m = this.o.media
    m.setMicMuted(!m.getSnapshot().micMuted)
  }

  toggleCamera(): void {
    const m = this.o.media
    void m.setCameraOn(!m.getSnapshot().cameraOn)
  }

  async toggleScreen(): Promise<void> {
    const m = this.o.media
    if (m.getSnapshot().screenOn) m.stopScreen()
    else if (!(await m.startScreen())) {
      const error = m.getSnapshot().screenError
      if (error) this.o.onToast({ text: error, tone: 'warning' })
    }
  }

  setHand(raised: boolean): void {
    const hands = new Set(this.state.hands)
    if (raised) hands.add(this.selfId)
    else hands.delete(this.selfId)
    this.update({ hands })
    this.sendNotice({ kind: 'hand', raised })
  }

  react(emoji: string): void {
    this.addReaction(this.selfId, emoji)
    this.sendNotice({ kind: 'reaction', emoji })
  }

  admit(peerId: string, admit: boolean): void {
    this.update({ joinRequests: this.state.joinRequests.filter((p) => p.peerId !== peerId) })
    void this.o.dym
      .invoke('room.admit', { roomId: this.o.room.roomId, peerId, admit })
      .catch((err: unknown) => this.o.onToast({ text: `Could not answer: ${String(err)}`, tone: 'danger' }))
  }

  retry(peerId: string): void {
    this.engine?.restartIce(peerId)
  }

  /**
   * Which videos are on screen (`peerId:camera`, `peerId:screen`) and how big (CSS pixels): the
   * rest are not sent to us, and what is comes at the size of its tile.
   */
  setVisible(tiles: ReadonlyMap<string, FrameSize>): void {
    if (!this.engine) return
    const scale = globalThis.devicePixelRatio || 1
    for (const [key, size] of tiles) {
      const [peerId, role] = key.split(':')
      if (peerId && (role === 'camera' || role === 'screen') && size.width > 0 && size.height > 0)
        this.engine.setVideoSize(peerId, role, { width: size.width * scale, height: size.height * scale })
    }
    for (const peer of this.state.peers.values()) {
      for (const role of ['camera', 'screen'] as StreamRole[]) {
        const key = `${peer.id}:${role}`
        const on = tiles.has(key)
        if (this.wanted.get(key) === on) continue
        this.wanted.set(key, on)
        this.engine.setVideoWanted(peer.id, role, on)
      }
    }
  }

  async leave(): Promise<void> {
    const roomId = this.o.room.roomId
    this.close()
    await this.o.dym.invoke('room.leave', { roomId }).catch(() => undefined)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    ;(this.engine ?? this.o.engine)?.close()
    this.o.signals.close()
    this.chat.stop()
    this.meter?.close()
    this.o.media.close()
    this.listeners.clear()
  }

  private end(reason: string): void {
    this.close()
    this.o.onEnded(reason)
  }

  private onRoom(view: RoomView): void {
    const before = new Map(this.state.members.map((m) => [m.peerId, m]))
    const after = this.mergedMembers(view)
    for (const m of after) {
      const old = before.get(m.peerId)
      // Someone who was here before us did not join: we did.
      if (!old) {
        if (!m.wasHere) this.o.onToast({ text: `${m.displayName} joined` })
      } else if (old.route === 'unreachable' && m.route !== 'unreachable') this.engine?.reconnect(m.peerId)
    }
    const afterIds = new Set(after.map((m) => m.peerId))
    for (const old of before.values()) {
      if (afterIds.has(old.peerId)) continue
      this.o.onToast({ text: `${old.displayName} left` })
      this.noticeMedia.delete(old.peerId)
    }
    const hands = new Set([...this.state.hands].filter((id) => id === this.selfId || afterIds.has(id)))
    for (const m of after) if (m.handRaised) hands.add(m.peerId)
    this.update({ room: view, members: after, hands })
    this.engine?.setMembers(
      after.map((m) => m.peerId),
      linkedByOf(view)
    )
  }

  /** Remote members not gone, with mute/camera from their latest notice when we have one. */
  private mergedMembers(view: RoomView): Member[] {
    return view.members
      .filter((m) => m.peerId !== view.self.peerId && m.presence !== 'gone')
      .map((m) => {
        const media = this.noticeMedia.get(m.peerId)
        return media ? { ...m, ...media } : m
      })
  }

  private onNotice(from: PersonView, notice: Notice): void {
    if (from.peerId === this.selfId) return
    const name = from.displayName
    switch (notice.kind) {
      case 'media':
        this.noticeMedia.set(from.peerId, { muted: notice.muted, cameraOff: notice.cameraOff })
        this.update({ members: this.mergedMembers(this.state.room) })
        return
      case 'hand': {
        const hands = new Set(this.state.hands)
        if (notice.raised) hands.add(from.peerId)
        else hands.delete(from.peerId)
        this.update({ hands })
        if (notice.raised) this.o.onToast({ text: `${name} raised their hand ✋` })
        return
      }
      case 'reaction':
        this.addReaction(from.peerId, notice.emoji)
        return
      case 'screen-share':
        if (notice.active) this.o.onToast({ text: `${name} is presenting their screen` })
        return
      case 'recording-started':
        this.o.onToast({ text: `${name} started recording this meeting`, tone: 'warning', duration: 8000 })
        return
      case 'recording-stopped':
        this.o.onToast({ text: `${name} stopped recording` })
        return
    }
  }

  private onJoinRequest(person: PersonView): void {
    if (this.state.joinRequests.some((p) => p.peerId === person.peerId)) return
    this.update({ joinRequests: [...this.state.joinRequests, person] })
    this.o.onToast({
      text: `${person.displayName} asks to join`,
      actions: [
        { label: 'Admit', run: () => this.admit(person.peerId, true) },
        { label: 'Deny', run: () => this.admit(person.peerId, false) }
      ]
    })
  }

  private onScreenTrack(track: MediaStreamTrack | null): void {
    this.engine?.setScreenTrack(track)
    this.sendNotice({ kind: 'screen-share', active: track !== null })
  }

  private lastMedia = ''
  private onLocalMedia(): void {
    const s = this.o.media.getSnapshot()
    const key = `${s.micMuted}:${s.cameraOn}`
    if (key === this.lastMedia) return
    this.lastMedia = key
    this.engine?.setMediaState({ muted: s.micMuted, cameraOff: !s.cameraOn })
    this.sendNotice({ kind: 'media', muted: s.micMuted, cameraOff: !s.cameraOn })
  }

  private addReaction(peerId: string, emoji: string): void {
    const key = ++this.reactionKey
    this.update({ reactions: [...this.state.reactions, { key, peerId, emoji }].slice(-20) })
    setTimeout(() => {
      if (!this.closed) this.update({ reactions: this.state.reactions.filter((r) => r.key !== key) })
    }, REACTION_MS)
  }

  private sampleSpeaker(): void {
    const mic = this.o.media.getSnapshot()
    if (mic.mic !== this.meterTrack) {
      this.meter?.close()
      this.meterTrack = mic.mic
      this.meter = mic.mic ? new LevelMeter(mic.mic) : null
    }
    const selfLevel = this.meter && !mic.micMuted ? this.meter.read() : 0
    const levels = new Map<string, number>([[this.selfId, selfLevel]])
    for (const [id, level] of this.engine?.audioLevels() ?? []) levels.set(id, loudness(level))
    const speaker = this.speakerPicker.update(levels, performance.now())
    // Only a new speaker re-renders the meeting; levels alone do not.
    if (speaker !== this.state.speaker) this.update({ speaker })
  }

  private sendNotice(notice: Notice): void {
    void this.o.dym.invoke('notice.send', { roomId: this.o.room.roomId, notice }).catch(() => undefined)
  }

  private update(patch: Partial<CallState>): void {
    if (this.closed) return
    this.state = { ...this.state, ...patch }
    for (const listener of this.listeners) listener()
  }
}
