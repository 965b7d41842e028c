import { sdpIceUfrags } from './sdp'
import type { LinkState, Log, SignalPayload } from './types'

/**
 * A restart of ours whose offer is not answered yet answers any other ask for one made within
 * this long (both ends noticed the same network change, in either order); after it, an offer
 * still unanswered is taken as lost and a new restart is made.
 */
const RESTART_UNDER_WAY_MS = 5_000

/** What the restart logic needs from its link. */
export interface RestartSide {
  pc: RTCPeerConnection
  polite: boolean
  /** the other member, shortened, for the log */
  label: string
  state(): LinkState
  setState(state: LinkState): void
  send(signal: SignalPayload): void
  /** an ICE username of the other side's current description, if we have one */
  remoteUfrag(): string | null
  /** run `fn` after `ms` unless the link has closed */
  later(ms: number, fn: () => void): void
  /**
   * Replace this link with a new peer connection (the other side follows: a new SDP session
   * makes it start over too). False when that is not allowed (done once already).
   */
  renew(): boolean
  log: Log
  disconnectGraceMs: number
  connectTimeoutMs: number
  maxIceRestarts: number
}

/**
 * When a link asks for fresh ICE, and who makes the restart. Only the impolite side restarts:
 * the polite side asks it to (a `restart` signal), because two restarts crossing each other left
 * media stalled on one side in most runs. A watchdog counts a long "checking" as a failure, and
 * a link gives up (unreachable) after `maxIceRestarts` restarts without getting connected.
 */
export class LinkRestarts {
  private sinceConnected = 0
  private everConnected = false
  /** we asked for fresh ICE and our offer for it has not been answered yet (since when) */
  private pending = false
  private pendingSince = 0
  private total = 0
  private watchdog: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly side: RestartSide) {
    this.armWatchdog()
  }

  /** ICE restarts made or asked for so far (shown in diagnostics). */
  get count(): number {
    return this.total
  }

  /** Ask for fresh ICE (network change, member back after a drop); `manual` resets the give-up counter. */
  restart(manual = false): void {
    const s = this.side
    if (s.state() === 'closed') return
    if (!s.polite && this.pending && performance.now() - this.pendingSince < RESTART_UNDER_WAY_MS) {
      s.log(`ICE restart to ${s.label} already under way`)
      return
    }
    if (manual) this.sinceConnected = 0
    if (this.sinceConnected >= s.maxIceRestarts) {
      s.setState('unreachable')
      return
    }
    this.sinceConnected++
    this.total++
    // A restart on a working path keeps using it until the new one is up: still "connected".
    const ice = s.pc.iceConnectionState
    if (ice !== 'connected' && ice !== 'completed' && s.state() !== 'connecting') s.setState('reconnecting')
    if (s.polite) {
      s.log(`asking ${s.label} to restart ICE (${this.total})`)
      s.send({ kind: 'restart', ufrag: s.remoteUfrag() })
    } else if (!this.everConnected && s.renew()) {
      // Never connected: ICE restarts do not mend a peer connection that stopped gathering
      // candidates (a Chromium rollback bug, see MeshEngine); a new one does.
      s.log(`never connected to ${s.label}: starting over with a new peer connection`)
    } else {
      s.log(`ICE restart ${this.total} to ${s.label}`)
      this.pending = true
      this.pendingSince = performance.now()
      s.pc.restartIce()
    }
    this.armWatchdog()
  }

  /**
   * The polite side asked for fresh ICE. A restart of ours made since it last saw our ICE
   * username (both ends noticed the same network change), or one under way (`restart` keeps it
   * while it is recent), already answers it.
   */
  onRequest(ufrag: string | null): void {
    const s = this.side
    if (s.polite) return s.log(`ignoring a restart request from ${s.label}: we are the polite side`)
    const local = s.pc.localDescription
    if (ufrag && local && !sdpIceUfrags(local.sdp).has(ufrag)) return
    this.restart(true)
  }

  /** Our offer was answered: a restart we made is no longer waiting. */
  answered(): void {
    this.pending = false
  }

  onIceState(): void {
    const s = this.side
    const ice = s.pc.iceConnectionState
    if (ice === 'disconnected') {
      if (s.state() === 'connected') s.setState('reconnecting')
      s.later(s.disconnectGraceMs, () => {
        if (s.pc.iceConnectionState === 'disconnected') this.restart()
      })
    } else if (ice === 'failed') this.restart()
  }

  connected(): void {
    this.everConnected = true
    this.stopWatchdog()
    this.sinceConnected = 0
  }

  close(): void {
    this.stopWatchdog()
  }

  /**
   * ICE may sit in "checking" for long when nothing gets through: count that as a failure. The
   * polite side waits half as long again: by then the impolite side has usually restarted on its
   * own, and the polite side's request is not needed.
   */
  private armWatchdog(): void {
    this.stopWatchdog()
    const s = this.side
    this.watchdog = setTimeout(
      () => {
        this.watchdog = null
        if (s.state() !== 'connected' && s.state() !== 'closed') this.restart()
      },
      s.polite ? s.connectTimeoutMs * 1.5 : s.connectTimeoutMs
    )
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog)
    this.watchdog = null
  }
}
