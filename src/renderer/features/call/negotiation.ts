import { OfferMemory } from './offer-memory'
import { sdpIceUfrags, sdpSessionId } from './sdp'
import type { Log, SignalPayload } from './types'

const MAX_HELD_CANDIDATES = 100

export interface NegotiationOptions {
  pc: RTCPeerConnection
  polite: boolean
  /** the other member, short, for the log */
  label: string
  closed: () => boolean
  send: (signal: SignalPayload) => void
  log: Log
  /** an offer with no answer after this long is sent again (a signal was lost) */
  answerTimeoutMs: number
  /** the other side asked for an ICE restart with this ufrag */
  onRestartRequest: (ufrag: string | null) => void
  /** our offer was answered */
  onAnswered: () => void
  /** The other side restarted (new SDP session): the engine replaces the link and replays `signal`. */
  onRemoteRestart: (signal: SignalPayload) => void
  /** Their descriptions no longer fit ours: start over with a new peer connection (false: not allowed). */
  onOutOfStep: () => boolean
}

/**
 * One peer connection's side of "perfect negotiation": either side may offer at any time
 * (screen share, ICE restart, glare on join); the polite side yields when offers collide.
 * Incoming signals are handled one at a time, and ICE candidates are held until the
 * description they belong to (matched by ufrag) is set, because signalling may deliver them first.
 */
export class Negotiation {
  private makingOffer = false
  private ignoreOffer = false
  private chain: Promise<void> = Promise.resolve()
  private held: RTCIceCandidateInit[] = []
  private remoteSession: string | null = null
  private remoteUfrags = new Set<string>()
  private readonly sent: OfferMemory

  constructor(private readonly o: NegotiationOptions) {
    this.sent = new OfferMemory({
      send: o.send,
      awaiting: () => !o.closed() && o.pc.signalingState === 'have-local-offer',
      log: (message) => o.log(`${o.label}: ${message}`),
      answerTimeoutMs: o.answerTimeoutMs
    })
    this.wire()
  }

  /** Queue one signal from the other side; they are handled strictly in arrival order. */
  handle(signal: SignalPayload): void {
    this.chain = this.chain.then(() => this.process(signal)).catch((err: unknown) => this.o.log(`signal from ${this.o.label} failed`, err))
  }

  /** The ICE username of the description the other side sent last. */
  remoteUfrag(): string | null {
    return [...this.remoteUfrags][0] ?? null
  }

  close(): void {
    this.sent.close()
  }

  private async process(signal: SignalPayload): Promise<void> {
    const { pc, polite } = this.o
    if (this.o.closed()) return
    if (signal.kind === 'candidate') return this.addCandidate(signal.candidate)
    if (signal.kind === 'restart') return this.o.onRestartRequest(signal.ufrag)
    const description = signal.description
    const session = sdpSessionId(description.sdp)
    if (this.remoteSession !== null && session !== null && session !== this.remoteSession && description.type !== 'rollback') {
      this.o.onRemoteRestart(signal)
      return
    }
    if (description.type === 'offer' && pc.signalingState === 'stable' && this.sent.answerRepeat(description.sdp)) return
    if (description.type === 'answer' && (pc.signalingState !== 'have-local-offer' || this.sent.isRepeatAnswer(description.sdp))) return // stale
    const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable')
    this.ignoreOffer = !polite && collision
    if (collision) this.o.log(`offer collision with ${this.o.label}: ${polite ? 'yielding' : 'ignoring theirs'}`)
    if (this.ignoreOffer) return
    try {
      await pc.setRemoteDescription(description)
    } catch (err) {
      return this.outOfStep(description.type, err)
    }
    this.remoteSession = session ?? this.remoteSession
    this.remoteUfrags = sdpIceUfrags(description.sdp)
    if (description.type === 'offer') {
      await pc.setLocalDescription()
      const answer = this.sendDescription()
      if (answer) this.sent.answeredOffer(description.sdp, answer)
    } else {
      this.sent.appliedAnswerWas(description.sdp)
      this.o.onAnswered()
    }
    const held = this.held
    this.held = []
    for (const candidate of held) await this.addCandidate(candidate)
  }

  /**
   * Their description does not fit the one we have (an offer whose m-lines are not in the order
   * we negotiated, or an answer to an offer we no longer have): every later one from that peer
   * connection would fail the same way, and neither perfect negotiation nor ICE restarts mend
   * it. Start over with a new peer connection; our new SDP session makes the other side start
   * over too (the side that got the answer cannot tell that the other side already has).
   */
  private outOfStep(type: RTCSdpType, err: unknown): void {
    this.o.log(`${type} from ${this.o.label} does not fit ours`, err)
    if (this.o.onOutOfStep()) this.o.log(`out of step with ${this.o.label}: starting over with a new peer connection`)
  }

  private async addCandidate(candidate: RTCIceCandidateInit | null): Promise<void> {
    if (!candidate) return
    const ufrag = candidate.usernameFragment
    if (!this.o.pc.remoteDescription || (ufrag && !this.remoteUfrags.has(ufrag))) {
      // Not for the description we have (yet): keep it for the one that is coming.
      this.held.push(candidate)
      if (this.held.length > MAX_HELD_CANDIDATES) this.held.shift()
      return
    }
    try {
      await this.o.pc.addIceCandidate(candidate)
    } catch (err) {
      if (!this.ignoreOffer) this.o.log('addIceCandidate failed', err)
    }
  }

  /** Sends our local description; returns its SDP as sent. */
  private sendDescription(): string | null {
    const d = this.o.pc.localDescription
    if (!d) return null
    this.o.send({ kind: 'description', description: { type: d.type, sdp: d.sdp } })
    // An offer nobody answers (lost on the way, or sent before the other side listened) would
    // leave both sides waiting forever when the other side is the impolite one.
    if (d.type === 'offer') this.sent.offered(d.sdp)
    return d.sdp
  }

  private wire(): void {
    const pc = this.o.pc
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true
        await pc.setLocalDescription()
        this.sendDescription()
      } catch (err) {
        this.o.log('offer failed', err)
      } finally {
        this.makingOffer = false
      }
    }
    pc.onicecandidate = ({ candidate }) => {
      if (!candidate || candidate.candidate === '') return
      const c = candidate.toJSON()
      this.sent.candidate({
        candidate: c.candidate ?? '',
        sdpMid: c.sdpMid ?? null,
        sdpMLineIndex: c.sdpMLineIndex ?? null,
        usernameFragment: c.usernameFragment ?? null
      })
    }
  }
}
