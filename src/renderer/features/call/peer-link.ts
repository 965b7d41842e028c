import type { SenderCap } from './bitrate'
import { CONTROL_CHANNEL_ID, CONTROL_LABEL } from './control-channel'
import { LinkControl } from './link-control'
import { readLinkStats, type StatsCounters } from './link-stats'
import { RemoteStreams } from './remote-streams'
import { LinkRestarts } from './link-restarts'
import { Negotiation } from './negotiation'
import { isPolite } from './sdp'
import { setEncoding, warmupCap } from './sender-params'
import { fitCamera, type FrameSize } from './tile-fit'
import type { LinkState, LinkStats, Log, MediaState, RemotePeerView, SignalPayload, StreamRole } from './types'
import type { RenewReason } from './link-renewals'

/** What this side sends, shared by all links of one engine. */
export interface LocalSendState {
  audio: MediaStreamTrack | null
  camera: MediaStreamTrack | null
  screen: MediaStreamTrack | null
  /** msid of microphone + camera: the other side sees them as one stream */
  mainStream: MediaStream
  /** msid of the shared screen: the other side sees it as a second stream */
  screenStream: MediaStream
}

export interface PeerLinkOptions {
  selfId: string
  peerId: string
  rtc: RTCConfiguration
  local: () => LocalSendState
  mediaState: () => MediaState
  caps: () => { camera: SenderCap; screen: SenderCap }
  /** a track to create a transceiver with when we have no device yet (replaced by null at once) */
  placeholder: (kind: 'audio' | 'video') => MediaStreamTrack
  send: (signal: SignalPayload) => void
  onChange: () => void
  /** The other side restarted (new SDP session): the engine replaces this link and replays `signal`. */
  onRemoteRestart: (signal: SignalPayload) => void
  /** every receiver as it is created (before it is negotiated; again by ontrack): the recording taps its encoded frames */
  onReceiver?: (receiver: RTCRtpReceiver) => void
  /** our microphone's and camera's senders, once, as they are created: a recording may take our frames from them */
  onSender?: (sender: RTCRtpSender, kind: 'audio' | 'video') => void
  /** the other side records its camera as it sends it to us: its receiver here should ask for a key frame */
  onKeyFrameWanted?: (receiver: RTCRtpReceiver) => void
  /**
   * Replace this link with a new one; false when not allowed. `never-connected`: the watchdog
   * gave up on it (see LinkRestarts); `out-of-step`: the other side's descriptions no longer fit
   * ours (a new peer connection on both sides is the only way out).
   */
  onRenew: (reason: RenewReason) => boolean
  log: Log
  disconnectGraceMs: number
  connectTimeoutMs: number
  maxIceRestarts: number
  warmupMs: number
  /** an offer with no answer after this long is sent again (a signal was lost) */
  answerTimeoutMs: number
}

/**
 * One RTCPeerConnection to one remote member: its negotiation (`Negotiation`, "perfect
 * negotiation"), its restarts (`LinkRestarts`), our senders and their encodings, the other
 * side's streams and control channel, and the view the call shows of it.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection
  readonly polite: boolean
  private state: LinkState = 'connecting'
  private readonly negotiation: Negotiation
  private readonly audioSender: RTCRtpSender
  private readonly cameraSender: RTCRtpSender
  private screenTransceiver: RTCRtpTransceiver | null = null
  private readonly control: LinkControl
  private readonly remote = new RemoteStreams(() => this.refresh())
  /** the other side asked us not to send this video (it is off their screen) */
  private readonly sendPaused: Record<StreamRole, boolean> = { camera: false, screen: false }
  /** how big the other side shows our camera (device pixels), from its control channel */
  private wantedSize: FrameSize | null = null
  private readonly restarts: LinkRestarts
  private warm = false
  private warmScheduled = false
  private timers = new Set<ReturnType<typeof setTimeout>>()
  private paramsChain: Promise<void> = Promise.resolve()
  private counters: StatsCounters | null = null
  private stats: LinkStats | null = null
  private audioLevel = 0
  private remoteMedia: MediaState | null = null
  private view: RemotePeerView

  constructor(private readonly o: PeerLinkOptions) {
    this.polite = isPolite(o.selfId, o.peerId)
    this.pc = new RTCPeerConnection(o.rtc)
    const local = o.local()
    // addTrack (not addTransceiver): only addTrack transceivers get matched to the remote's
    // m-lines when its offer wins a glare, so both sides end up with one audio + one video.
    this.audioSender = this.pc.addTrack(local.audio ?? o.placeholder('audio'), local.mainStream)
    this.cameraSender = this.pc.addTrack(local.camera ?? o.placeholder('video'), local.mainStream)
    if (!local.audio) void this.audioSender.replaceTrack(null)
    if (!local.camera) void this.cameraSender.replaceTrack(null)
    o.onSender?.(this.audioSender, 'audio')
    o.onSender?.(this.cameraSender, 'video')
    this.tapReceivers()
    this.control = new LinkControl(this.pc.createDataChannel(CONTROL_LABEL, { negotiated: true, id: CONTROL_CHANNEL_ID, ordered: true }), {
      remote: this.remote,
      ourStreams: () => {
        const l = o.local()
        return { camera: l.mainStream.id, screen: l.screen ? l.screenStream.id : null }
      },
      mediaState: o.mediaState,
      onRemoteMedia: (state) => {
        this.remoteMedia = state
        this.refresh()
      },
      onWanted: (role, on) => {
        this.sendPaused[role] = !on
        this.applySenderParams()
      },
      onWantedSize: (role, size) => {
        // Screens are sent whole: text must stay readable however small the tile.
        if (role !== 'camera') return
        this.wantedSize = size
        this.applySenderParams()
      },
      onKeyFrameWanted: () => {
        // Their camera comes on the m-line our camera goes out on (both sides add audio, then video).
        const receiver = this.pc.getTransceivers().find((t) => t.sender === this.cameraSender)?.receiver
        if (receiver) o.onKeyFrameWanted?.(receiver)
      },
      refresh: () => this.refresh()
    })
    this.restarts = new LinkRestarts({
      pc: this.pc,
      polite: this.polite,
      label: short(o.peerId),
      state: () => this.state,
      setState: (state) => this.setState(state),
      send: o.send,
      remoteUfrag: () => this.negotiation.remoteUfrag(),
      later: (ms, fn) => this.later(ms, fn),
      renew: () => this.o.onRenew('never-connected'),
      log: o.log,
      disconnectGraceMs: o.disconnectGraceMs,
      connectTimeoutMs: o.connectTimeoutMs,
      maxIceRestarts: o.maxIceRestarts
    })
    // After the control channel exists: sharing tells the other side which stream is the screen.
    if (local.screen) this.setScreen(local.screen)
    this.view = this.buildView()
    this.negotiation = new Negotiation({
      pc: this.pc,
      polite: this.polite,
      label: short(o.peerId),
      closed: () => this.state === 'closed',
      send: o.send,
      log: o.log,
      answerTimeoutMs: o.answerTimeoutMs,
      onRestartRequest: (ufrag) => this.restarts.onRequest(ufrag),
      onAnswered: () => this.restarts.answered(),
      onRemoteRestart: o.onRemoteRestart,
      onOutOfStep: () => o.onRenew('out-of-step')
    })
    this.wire()
    this.applySenderParams()
  }

  get peerId(): string {
    return this.o.peerId
  }

  snapshot(): RemotePeerView {
    return this.view
  }

  /** Queue one signal from the other side; they are handled strictly in arrival order. */
  handleSignal(signal: SignalPayload): void {
    this.negotiation.handle(signal)
  }

  /** Ask for fresh ICE (network change, member back after a drop); `manual` resets the give-up counter. */
  restartIce(manual = false): void {
    this.restarts.restart(manual)
  }

  /**
   * New STUN/TURN servers (a renewal's fresh credentials, a relay that answered late): new
   * candidates use them from now on. Only a link that is not up, or whose media goes through a
   * relay, restarts ICE to use them: a direct path needs no relay's credential, and a restart
   * costs a moment of media on a busy machine.
   */
  async useIceServers(ice: Pick<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'>, policyChanged: boolean): Promise<void> {
    if (this.state === 'closed') return
    this.pc.setConfiguration({ ...this.pc.getConfiguration(), ...ice })
    if (!policyChanged && this.state === 'connected' && (await this.routeNow()) === 'direct') return
    this.restartIce(true)
  }

  /** The route of the candidate pair in use right now (not the last sampled one). */
  private async routeNow(): Promise<LinkStats['route']> {
    const report = await this.pc.getStats()
    const values = report.values() as Iterable<Record<string, unknown> & { type: string; id: string }>
    return readLinkStats(values, this.counters, (id) => this.remote.roleOfTrack(id)).stats.route
  }

  replaceLocal(kind: 'audio' | 'camera', track: MediaStreamTrack | null): Promise<void> {
    const sender = kind === 'audio' ? this.audioSender : this.cameraSender
    return sender.replaceTrack(track)
  }

  /** Start, swap or stop our screen; others get it as a separate stream (its own tile). */
  setScreen(track: MediaStreamTrack | null): void {
    const { screenStream } = this.o.local()
    const t = this.screenTransceiver
    if (track && !t) {
      const sender = this.pc.addTrack(track, screenStream)
      this.screenTransceiver = this.pc.getTransceivers().find((x) => x.sender === sender) ?? null
      this.tapReceivers()
    } else if (track && t) {
      void t.sender.replaceTrack(track)
      t.sender.setStreams(screenStream)
      t.direction = t.direction === 'recvonly' || t.direction === 'sendrecv' ? 'sendrecv' : 'sendonly'
    } else if (!track && t) {
      void t.sender.replaceTrack(null)
      t.direction = t.direction === 'sendrecv' || t.direction === 'recvonly' ? 'recvonly' : 'inactive'
    }
    this.control.sendRoles()
    this.applySenderParams()
  }

  /** Whether we want their video (a tile off screen does not): they stop sending it to us. */
  setWanted(role: StreamRole, on: boolean): void {
    this.control.setWanted(role, on)
  }

  /** How big our tile of their video is: they send no more than that. */
  setWantedSize(role: StreamRole, size: FrameSize): void {
    this.control.setWantedSize(role, size)
  }

  /**
   * Our microphone or camera as this link sends it now, for a recording of our own tracks (the
   * call encodes them anyway): null while it sends nothing (not connected, no microphone, camera
   * off, or our camera off their screen; muted, it sends silence). `pixels`: how big they show it
   * (Infinity: not told yet).
   */
  ownSend(kind: 'audio' | 'video'): { sender: RTCRtpSender; pixels: number } | null {
    if (this.state !== 'connected') return null
    const sender = kind === 'audio' ? this.audioSender : this.cameraSender
    if (!sender.track || (kind === 'video' && this.sendPaused.camera)) return null
    const size = kind === 'video' ? this.wantedSize : null
    return { sender, pixels: size ? size.width * size.height : Number.POSITIVE_INFINITY }
  }

  /** We record our camera as this link sends it: the other side asks our encoder for a key frame. */
  askKeyFrame(): void {
    this.control.askKeyFrame()
  }

  /** Tell the other end our mute / camera state. */
  sendMediaState(): void {
    this.control.sendMediaState()
  }

  /** Caps changed (room size, quality setting): re-apply to our senders. `fresh`: after a negotiation. */
  applySenderParams(fresh = false): void {
    this.paramsChain = this.paramsChain
      .then(async () => {
        const caps = this.o.caps()
        const camera = fitCamera(caps.camera, captureSize(this.o.local().camera), this.wantedSize, this.stats?.availableOutBps ?? null)
        await setEncoding(this.cameraSender, this.warm ? camera : warmupCap(camera), !this.sendPaused.camera, fresh)
        const screen = this.screenTransceiver?.sender
        if (screen?.track) await setEncoding(screen, caps.screen, !this.sendPaused.screen, fresh)
      })
      .catch((err: unknown) => this.o.log('setParameters failed', err))
  }

  /**
   * Their current audio level (0..1, linear), from the RTP header extension, read on demand
   * rather than pushed, so it costs no renders.
   */
  currentLevel(): number {
    // Nothing to hear before the link is up, and each read is a synchronous call into WebRTC's
    // busiest thread: asking every 300 ms while links were still being set up held the page.
    if (this.state !== 'connected') return 0
    const receiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.receiver
    this.audioLevel = receiver?.getSynchronizationSources()[0]?.audioLevel ?? 0
    return this.audioLevel
  }

  /** Poll getStats (a few times a minute is enough for the quality bar and the route). */
  async sampleStats(): Promise<void> {
    if (this.state === 'closed') return
    const report = await this.pc.getStats()
    const result = readLinkStats(report.values() as Iterable<Record<string, unknown> & { type: string; id: string }>, this.counters, (id) =>
      this.remote.roleOfTrack(id)
    )
    this.counters = result.counters
    this.stats = result.stats
    this.refresh()
    // The link's bandwidth estimate moved: the camera's size may step (no-op when it does not).
    this.applySenderParams()
  }

  close(): void {
    if (this.state === 'closed') return
    for (const timer of this.timers) clearTimeout(timer)
    this.restarts.close()
    this.negotiation.close()
    this.state = 'closed'
    this.pc.close()
    this.refresh()
  }

  private wire(): void {
    const pc = this.pc
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') this.onConnected()
      else this.restarts.onIceState()
    }
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') this.onConnected()
    }
    pc.ontrack = (ev) => {
      this.o.onReceiver?.(ev.receiver)
      this.remote.add(ev)
      this.refresh()
    }
    // A negotiation may re-create a sender's encodings (a new screen m-line): apply the caps again.
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable') this.applySenderParams(true)
    }
  }

  private onConnected(): void {
    this.restarts.connected()
    if (this.state !== 'connected') {
      this.o.log(`connected to ${short(this.o.peerId)}`)
      this.setState('connected')
    }
    if (!this.warmScheduled) {
      this.warmScheduled = true
      this.later(this.o.warmupMs, () => {
        this.warm = true
        this.applySenderParams()
      })
    }
  }

  /**
   * Hands the receivers of the transceivers we created to `onReceiver` at once: Chromium routes a
   * receiver's frames through an encoded transform only if it is attached before negotiation
   * (ontrack comes too late on the offering side); those the other side created arrive by ontrack.
   */
  private tapReceivers(): void {
    for (const t of this.pc.getTransceivers()) this.o.onReceiver?.(t.receiver)
  }

  private setState(state: LinkState): void {
    if (this.state === 'closed' || this.state === state) return
    this.state = state
    this.refresh()
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      if (this.state !== 'closed') fn()
    }, ms)
    this.timers.add(timer)
  }

  private refresh(): void {
    this.view = this.buildView()
    this.o.onChange()
  }

  private buildView(): RemotePeerView {
    const { camera, screen } = this.remote.current()
    const video = camera?.getVideoTracks()[0]
    return {
      id: this.o.peerId,
      state: this.state,
      polite: this.polite,
      camera,
      cameraLive: Boolean(video && video.readyState === 'live' && !video.muted),
      screen,
      audioLevel: this.audioLevel,
      stats: this.stats,
      iceRestarts: this.restarts.count,
      media: this.remoteMedia
    }
  }
}

function captureSize(track: MediaStreamTrack | null): FrameSize | null {
  const { width, height } = track?.getSettings() ?? {}
  return width && height ? { width, height } : null
}

function short(id: string): string {
  return id.slice(-6)
}
