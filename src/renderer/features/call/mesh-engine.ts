import { cameraCap, screenCap } from './bitrate'
import { EarlyLinks } from './early-links'
import { LinkRenewals } from './link-renewals'
import { PeerLink, type LocalSendState } from './peer-link'
import { PlaceholderTracks } from './placeholder-tracks'
import { isPolite } from './sdp'
import type { FrameSize } from './tile-fit'
import type {
  IceSettings,
  LinkedBy,
  Log,
  MediaState,
  RemotePeerView,
  SignalPayload,
  SignalTransport,
  StreamRole,
  VideoQuality
} from './types'

export interface MeshEngineOptions {
  /** our own member id (libp2p peer id); decides politeness against each remote id */
  selfId: string
  transport: SignalTransport
  ice?: Partial<IceSettings>
  videoQuality?: VideoQuality
  /** the polite side of a pair waits this long for the impolite side's offer before offering itself (0: it does not wait) */
  offerGraceMs?: number
  /** how long ICE may stay "disconnected" before we restart it */
  disconnectGraceMs?: number
  /** how long a link may take to connect before it counts as failed */
  connectTimeoutMs?: number
  /** ICE restarts in a row before a member is shown as unreachable */
  maxIceRestarts?: number
  /** small frames first, full quality after this long connected */
  warmupMs?: number
  /** an unanswered offer is taken back and made again after this long */
  answerTimeoutMs?: number
  statsIntervalMs?: number
  /** restart ICE on every link when the OS says we are back online */
  watchNetwork?: boolean
  maxPeers?: number
  /** every receiver of every link as it is created (the recording taps encoded frames there) */
  onReceiver?: (peerId: string, receiver: RTCRtpReceiver) => void
  /** every link's microphone and camera sender as it is created (a recording of ours may take their frames) */
  onSender?: (sender: RTCRtpSender, kind: 'audio' | 'video') => void
  /** a member records its camera as it sends it to us: ask for a key frame on this receiver */
  onKeyFrameWanted?: (receiver: RTCRtpReceiver) => void
  log?: Log
}

const MAX_EARLY_CANDIDATES = 50

/**
 * The call's media: one PeerLink (RTCPeerConnection) per remote member, a full mesh. No React,
 * no `window.dym`: it talks to the outside through `SignalTransport`, `setMembers` and the
 * local tracks, so the app and the tests drive it the same way.
 *
 * Who offers: of each pair, the one that dialled the meeting link (a newcomer dials the members
 * it was told of), at once, so a newcomer's offers can be made while its join is on its way
 * (`offerEarly`); the other waits `offerGraceMs` for that offer and only then offers itself.
 * Where the room does not say who dialled, the impolite one (whose offer would win a collision)
 * offers first. Both learn of each other at the same moment (their room session comes up), so
 * nobody waits for nothing. Glare is kept for the rare fallback: perfect negotiation settles it, but in Chromium
 * a polite side whose own first offer was still being made when the other's arrived sometimes
 * never gathers ICE candidates afterwards, not even after ICE restarts (seen with four people
 * when both sides' grace ran out together). LinkRestarts then starts that link over.
 */
export class MeshEngine {
  private readonly links = new Map<string, PeerLink>()
  private readonly graceTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly earlyCandidates = new Map<string, SignalPayload[]>()
  /** links made before the room let us in (see offerEarly) */
  private readonly early: EarlyLinks
  private readonly renewals = new LinkRenewals()
  private members = new Set<string>()
  /** how big each member's videos are shown here, kept for links made later (a restart) */
  private readonly sizes = new Map<string, FrameSize>()
  private readonly local: LocalSendState = {
    audio: null,
    camera: null,
    screen: null,
    mainStream: new MediaStream(),
    screenStream: new MediaStream()
  }
  private readonly listeners = new Set<() => void>()
  private snapshot: readonly RemotePeerView[] = []
  private readonly placeholders = new PlaceholderTracks()
  private mediaState: MediaState = { muted: false, cameraOff: false }
  private ice: IceSettings
  private quality: VideoQuality
  private readonly intervals: Array<ReturnType<typeof setInterval>> = []
  private readonly unsubscribe: () => void
  private readonly onOnline = () => this.restartIce()
  private readonly log: Log
  private closed = false

  constructor(private readonly o: MeshEngineOptions) {
    this.log = o.log ?? (() => undefined)
    this.ice = { iceServers: o.ice?.iceServers ?? [], iceTransportPolicy: o.ice?.iceTransportPolicy ?? 'all' }
    this.quality = o.videoQuality ?? 'medium'
    this.early = new EarlyLinks({
      selfId: o.selfId,
      hasLink: (id) => this.links.has(id),
      connect: (id) => void this.connect(id),
      release: (id, out) => {
        if (this.links.has(id)) for (const signal of out) this.send(id, signal)
      },
      discard: (id) => {
        const link = this.links.get(id)
        if (!link) return
        link.close()
        this.links.delete(id)
        this.emit()
      },
      replay: (id, signal) => this.onSignal(id, signal)
    })
    this.unsubscribe = o.transport.onSignal((from, signal) => this.onSignal(from, signal))
    this.intervals.push(setInterval(() => this.sampleStats(), o.statsIntervalMs ?? 2000))
    if (o.watchNetwork !== false) window.addEventListener('online', this.onOnline)
  }

  /** The remote members, in the order they came. A new array whenever anything changes. */
  getSnapshot = (): readonly RemotePeerView[] => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * The members present in the room besides us (from room.current / room.updated). `linkedBy`
   * says who dialled the meeting link with a member, when the room knows: that side offers at
   * once and the other waits `offerGraceMs` for its offer (both sides agree on it, so they do not
   * offer into each other). Without it, the impolite side of the pair offers first.
   */
  setMembers(ids: Iterable<string>, linkedBy: LinkedBy = () => undefined): void {
    if (this.closed) return
    const next = new Set([...ids].filter((id) => id !== this.o.selfId))
    for (const id of this.members) if (!next.has(id)) this.drop(id)
    this.early.settle(next, linkedBy)
    for (const id of next) {
      if (this.links.has(id) || this.graceTimers.has(id)) continue
      if (this.offersFirst(id, linkedBy(id))) this.connect(id)
      else {
        this.graceTimers.set(
          id,
          setTimeout(() => {
            this.graceTimers.delete(id)
            if (!this.links.has(id) && this.members.has(id)) this.connect(id)
          }, this.o.offerGraceMs ?? 5000)
        )
      }
    }
    const grew = next.size !== this.members.size
    this.members = next
    if (grew) this.applyCaps()
  }

  /**
   * Links to members we are about to meet (the invite's while our join is on its way, then the
   * ones the room still dials): each makes its offer and gathers its candidates now, so the first
   * offer is ready the moment that member's link is up, but nothing is sent before `setMembers`
   * shows that member linked by us. Nobody sees us earlier than Join would show us. Early links
   * not taken within a few seconds of the last call close unsent (see EarlyLinks).
   */
  offerEarly(ids: Iterable<string>): void {
    if (!this.closed) this.early.offer(ids)
  }

  /** A member the room saw drop and come back, or a network change on their side: fresh ICE. */
  reconnect(id: string): void {
    const link = this.links.get(id)
    if (link && link.snapshot().state !== 'connected') link.restartIce(true)
  }

  /** Microphone or camera changed (mute by `enabled`, hot-swap, camera off = null): no renegotiation. */
  async setLocalTrack(kind: 'audio' | 'camera', track: MediaStreamTrack | null): Promise<void> {
    this.local[kind] = track
    await Promise.all(
      [...this.links.values()].map((l) => l.replaceLocal(kind, track).catch((err: unknown) => this.log(`replaceTrack ${kind} failed`, err)))
    )
  }

  /** Each member's audio level now (0..1, linear), read on demand (active speaker, meters). */
  audioLevels(): Map<string, number> {
    return new Map([...this.links].map(([id, link]) => [id, link.currentLevel()]))
  }

  /** Our mute / camera-off state, told to every member over the link itself. */
  setMediaState(state: MediaState): void {
    if (state.muted === this.mediaState.muted && state.cameraOff === this.mediaState.cameraOff) return
    this.mediaState = { ...state }
    for (const link of this.links.values()) link.sendMediaState()
  }

  /** Start (track) or stop (null) sharing the screen: an extra stream the others show as its own tile. */
  setScreenTrack(track: MediaStreamTrack | null): void {
    this.local.screen = track
    for (const link of this.links.values()) link.setScreen(track)
  }

  /** Show or hide a member's video here; hidden video is not sent to us at all. Audio is never paused. */
  setVideoWanted(id: string, role: StreamRole, on: boolean): void {
    this.links.get(id)?.setWanted(role, on)
  }

  /** How big a member's video is shown here (device pixels): they send no more than that. */
  setVideoSize(id: string, role: StreamRole, size: FrameSize): void {
    this.sizes.set(`${id}:${role}`, size)
    this.links.get(id)?.setWantedSize(role, size)
  }

  setVideoQuality(quality: VideoQuality): void {
    if (quality === this.quality) return
    this.quality = quality
    this.applyCaps()
  }

  /**
   * New STUN/TURN settings apply to new links, and to existing ones at once: an ICE restart where
   * the link needs them (not up yet, relayed, or the transport policy changed; see PeerLink).
   * Resolves once every link has them.
   */
  async setIce(ice: IceSettings): Promise<void> {
    if (JSON.stringify(ice) === JSON.stringify(this.ice)) return
    const policyChanged = ice.iceTransportPolicy !== this.ice.iceTransportPolicy
    this.ice = { iceServers: ice.iceServers, iceTransportPolicy: ice.iceTransportPolicy }
    await Promise.all(
      [...this.links.values()].map((link) =>
        link.useIceServers(this.ice, policyChanged).catch((err: unknown) => this.log(`new ICE servers for ${link.peerId.slice(-6)}`, err))
      )
    )
  }

  /** Restart ICE on one link or all (the user pressed retry, the network changed). */
  restartIce(id?: string): void {
    for (const link of this.links.values()) if (id === undefined || link.peerId === id) link.restartIce(true)
  }

  /** What each link sends of our microphone or camera now (a recording of ours takes those frames). */
  ownSends(kind: 'audio' | 'video'): Array<{ sender: RTCRtpSender; peerId: string; pixels: number }> {
    return [...this.links.values()].flatMap((link) => {
      const sending = link.ownSend(kind)
      return sending ? [{ ...sending, peerId: link.peerId }] : []
    })
  }

  /** We record our camera as the link to this member sends it: it asks our encoder for a key frame. */
  askKeyFrame(peerId: string): void {
    this.links.get(peerId)?.askKeyFrame()
  }

  /** For diagnostics and tests: the peer connection to one member. */
  peerConnection(id: string): RTCPeerConnection | null {
    return this.links.get(id)?.pc ?? null
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.unsubscribe()
    window.removeEventListener('online', this.onOnline)
    for (const interval of this.intervals) clearInterval(interval)
    this.early.close()
    for (const timer of this.graceTimers.values()) clearTimeout(timer)
    for (const link of this.links.values()) link.close()
    this.links.clear()
    this.placeholders.close()
    this.emit()
    this.listeners.clear()
  }

  private offersFirst(id: string, linkedBy: 'us' | 'them' | undefined): boolean {
    if (this.o.offerGraceMs === 0 || linkedBy === 'us') return true
    return linkedBy === undefined && !isPolite(this.o.selfId, id)
  }

  private send(id: string, signal: SignalPayload): void {
    if (this.early.holdOut(id, signal)) return
    void Promise.resolve(this.o.transport.send(id, signal)).catch((err: unknown) => this.log(`signal to ${id.slice(-6)} failed`, err))
  }

  private onSignal(from: string, signal: SignalPayload): void {
    if (this.closed || from === this.o.selfId) return
    if (this.early.holdIn(from, signal)) return
    const link = this.links.get(from)
    if (link) return link.handleSignal(signal)
    if (signal.kind === 'candidate') {
      // Signalling may overtake: keep a few until the offer that creates the link arrives.
      const list = this.earlyCandidates.get(from) ?? []
      if (list.length < MAX_EARLY_CANDIDATES) list.push(signal)
      this.earlyCandidates.set(from, list)
      return
    }
    if (signal.kind === 'restart') return // nothing to restart yet: our offer or theirs is coming
    if (signal.description.type !== 'offer' || this.links.size >= (this.o.maxPeers ?? 49)) return
    // An offer may come before the room update that lists its sender: answer it.
    this.connect(from).handleSignal(signal)
  }

  private connect(id: string): PeerLink {
    const timer = this.graceTimers.get(id)
    if (timer) clearTimeout(timer)
    this.graceTimers.delete(id)
    this.log(`link to ${id.slice(-6)}: ${this.links.size + 1} of ${this.members.size || 1}`)
    const link: PeerLink = new PeerLink({
      selfId: this.o.selfId,
      peerId: id,
      rtc: { iceServers: this.ice.iceServers, iceTransportPolicy: this.ice.iceTransportPolicy, bundlePolicy: 'max-bundle' },
      local: () => this.local,
      mediaState: () => this.mediaState,
      caps: () => this.caps(),
      placeholder: (kind) => this.placeholders.get(kind),
      send: (signal) => {
        if (this.links.get(id) === link) this.send(id, signal)
      },
      onChange: () => this.emit(),
      onReceiver: (receiver) => this.o.onReceiver?.(id, receiver),
      onSender: this.o.onSender,
      onKeyFrameWanted: this.o.onKeyFrameWanted,
      onRenew: (reason) => {
        if (this.links.get(id) !== link || !this.renewals.allow(id, reason)) return false
        // Not inside the old link's own restart logic: after it has returned.
        queueMicrotask(() => {
          if (this.links.get(id) === link) this.replace(id, link)
        })
        return true
      },
      onRemoteRestart: (signal) => {
        this.log(`${id.slice(-6)} started a new session: new peer connection`)
        this.replace(id, link).handleSignal(signal)
      },
      log: this.log,
      disconnectGraceMs: this.o.disconnectGraceMs ?? 2500,
      connectTimeoutMs: this.o.connectTimeoutMs ?? 20_000,
      maxIceRestarts: this.o.maxIceRestarts ?? 3,
      warmupMs: this.o.warmupMs ?? 2000,
      answerTimeoutMs: this.o.answerTimeoutMs ?? 10_000
    })
    this.links.set(id, link)
    for (const role of ['camera', 'screen'] as const) {
      const size = this.sizes.get(`${id}:${role}`)
      if (size) link.setWantedSize(role, size)
    }
    for (const early of this.earlyCandidates.get(id) ?? []) link.handleSignal(early)
    this.earlyCandidates.delete(id)
    this.applyCaps()
    this.emit()
    return link
  }

  /** A new peer connection to the same member in place of `old` (its session is over). */
  private replace(id: string, old: PeerLink): PeerLink {
    old.close()
    this.links.delete(id)
    return this.connect(id)
  }

  private drop(id: string): void {
    const timer = this.graceTimers.get(id)
    if (timer) clearTimeout(timer)
    this.graceTimers.delete(id)
    this.earlyCandidates.delete(id)
    this.early.forget(id)
    this.renewals.forget(id)
    this.sizes.delete(`${id}:camera`)
    this.sizes.delete(`${id}:screen`)
    this.links.get(id)?.close()
    this.links.delete(id)
    this.emit()
  }

  private caps() {
    const remotes = Math.max(this.links.size, this.members.size)
    return { camera: cameraCap(this.quality, remotes), screen: screenCap(this.quality, remotes) }
  }

  private applyCaps(): void {
    for (const link of this.links.values()) link.applySenderParams()
  }

  private async sampleStats(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.sampleStats().catch(() => undefined)))
  }

  private emit(): void {
    this.snapshot = [...this.links.values()].map((l) => l.snapshot())
    for (const listener of this.listeners) listener()
  }
}
