import { toDymError, type DymApi, type RecordingEntry, type RecordingParticipant } from '../../../../shared/contract/index'
import type { RecorderStatus } from '../meeting-recorder'
import { UploadQueue } from '../upload-queue'
import { trackProcessor, type FrameTap } from './frame-tap'
import { pickOwnSend, type OwnSend } from './own-senders'
import type { FromTapWorker } from './tap-messages'

/** One track to record: a person's camera or screen video, or their microphone. */
export interface TrackSource {
  personId: string
  personName: string
  role: 'camera' | 'screen'
  kind: 'video' | 'audio'
  /** someone else's: the receiver their encoded frames arrive on (tapped, never decoded for this) */
  receiver?: RTCRtpReceiver
  /** ours: the raw track, recorded from what a link sends (`OwnSenders`) or encoded once in the recording worker */
  track?: MediaStreamTrack
}

/** The call's links that send our camera and microphone: the call encodes them anyway, so a recording of ours takes those frames. */
export interface OwnSenders {
  /** what each link sends of our microphone or camera now */
  sends(kind: 'video' | 'audio'): Array<OwnSend<RTCRtpSender>>
  /** the member at the other end asks our encoder for a key frame, so the track starts playable */
  askKeyFrame(peerId: string): void
}

/** Where a track's frames come from: someone's as we receive them, ours as a link sends them, or ours encoded here. */
export type TrackFeed = 'received' | 'sent' | 'encoded'

interface OpenTrack {
  number: number
  /** what feeds it now (a receiver, a sender, or one of our tracks); a new one continues the same track */
  feed: RTCRtpReceiver | RTCRtpSender | MediaStreamTrack | null
  /** the sender it is recorded from, while it is */
  sender: RTCRtpSender | null
  clone: MediaStreamTrack | null
}

/** How often a recording looks again for the link to take our frames from (one that stopped sending them, a new one). */
const OWN_FEED_CHECK_MS = 2_000

const keyOf = (s: Pick<TrackSource, 'personId' | 'role' | 'kind'>) => `${s.personId}:${s.role}:${s.kind}`

/**
 * Records a meeting per person from encoded frames: every other member's camera, microphone and
 * screen as they arrive (tapped in the recording worker, no decoding, no re-encoding), ours
 * encoded once, each its own track in the core. Feed it with `setSources` any time; a new
 * person gets new tracks, a renewed link continues the old ones. Batches of frames go to the
 * core (`recording.frames`) in order, one after the other, so the core's backpressure reaches
 * this side.
 */
export class TrackRecorder {
  readonly path = 'tracks'
  private current: RecorderStatus = { phase: 'idle', bytesSent: 0, savedMs: 0 }
  private readonly listeners = new Set<(status: RecorderStatus) => void>()
  private sources: readonly TrackSource[] = []
  private readonly open = new Map<string, OpenTrack>()
  private syncing: Promise<void> = Promise.resolve()
  private readonly uploads = new UploadQueue<Uint8Array>({
    size: (bytes) => bytes.byteLength,
    send: (bytes) => this.upload(bytes),
    onOverflow: () => void this.fail('The app is not writing the recording fast enough; it was stopped'),
    onError: (err) => this.fail(toDymError(err).message)
  })
  private seq = 0
  private t0 = 0
  private clockZero = 0
  private participantsKey = ''
  private flushes = new Map<number, () => void>()
  private flushId = 0
  private unsubscribe: Array<() => void> = []
  /** frames taken per track number, as of the last flush (diagnostics) */
  framesPerTrack: Record<number, number> = {}
  /** where each track's frames came from last, by track number (diagnostics, tests) */
  readonly feeds: Record<number, TrackFeed> = {}
  /** senders that gave no key frame when asked: another link's frames are taken, or ours encoded here */
  private readonly silentSenders = new WeakSet<RTCRtpSender>()
  private ownFeedTimer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly tap: FrameTap,
    private readonly api: DymApi = window.dym,
    private readonly own: OwnSenders | null = null
  ) {}

  get status(): RecorderStatus {
    return this.current
  }

  onStatus(listener: (status: RecorderStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  setSources(sources: readonly TrackSource[]): void {
    this.sources = sources
    if (this.current.phase === 'recording') this.sync()
  }

  /** Starts the recording in the core, then taps every source. Rejects (with the core's words) if it cannot start. */
  async start(request: { title: string }): Promise<void> {
    if (this.current.phase === 'starting' || this.current.phase === 'recording' || this.current.phase === 'stopping')
      throw new Error('Already recording')
    this.update({
      phase: 'starting',
      bytesSent: 0,
      savedMs: 0,
      error: undefined,
      entry: undefined,
      startedAt: undefined,
      endedAt: undefined
    })
    try {
      const participants = this.participants()
      this.participantsKey = JSON.stringify(participants)
      const state = await this.api.invoke('recording.start', { title: request.title, participants, path: 'tracks' })
      this.update({ recordingId: state.recordingId, name: state.name, ...(state.consent ? { consent: state.consent } : {}) })
      this.unsubscribe.push(
        this.tap.onMessage((m) => this.onWorker(m)),
        this.api.on('recording.state', (s) => {
          if (s.recordingId === state.recordingId && s.phase === 'failed' && this.current.phase === 'recording')
            void this.fail(s.error ?? 'The recording stopped')
        })
      )
      // The meeting clock starts once the core is ready and the tracks are tapped: until then the
      // button says "Starting", and what the recorder's clock shows is what the file holds.
      // Frames are timed on the monotonic clock the worker shares (Date.now() may step).
      this.t0 = Date.now()
      this.clockZero = performance.timeOrigin + performance.now()
      this.sync()
      await this.syncing
      if (this.own) this.ownFeedTimer = setInterval(() => this.sync(), OWN_FEED_CHECK_MS)
      this.update({ phase: 'recording', startedAt: this.t0 })
    } catch (err) {
      this.cleanup()
      this.update({ phase: 'failed', error: toDymError(err).message })
      throw toDymError(err)
    }
  }

  /** Sends what the worker holds, and has the core put the tracks together. */
  async stop(): Promise<RecordingEntry | null> {
    const { recordingId } = this.current
    if (this.current.phase !== 'recording' || !recordingId) return this.current.entry ?? null
    this.update({ phase: 'stopping', endedAt: Date.now() })
    await this.syncing
    await this.endWorker()
    console.debug(`[recording] frames per track: ${JSON.stringify(this.framesPerTrack)}`)
    try {
      await this.uploads.drained()
      const entry = await this.api.invoke('recording.stop', { recordingId })
      this.update({ phase: 'stopped', entry })
      return entry
    } catch (err) {
      this.update({ phase: 'failed', error: toDymError(err).message })
      return null
    } finally {
      this.cleanup()
    }
  }

  dispose(): void {
    if (this.current.phase === 'recording') void this.stop()
    else this.cleanup()
  }

  /** Opens tracks for new sources and points the worker at what feeds each one now; one pass at a time. */
  private sync(): void {
    this.syncing = this.syncing.then(() => this.syncNow()).catch((err: unknown) => void this.fail(toDymError(err).message))
    void this.sendParticipants()
  }

  private async syncNow(): Promise<void> {
    const recordingId = this.current.recordingId
    const running = () => this.current.phase === 'recording' || this.current.phase === 'starting'
    if (!running() || !recordingId) return
    const wanted = new Map(this.sources.map((s) => [keyOf(s), s]))
    for (const [key, open] of this.open) {
      if (wanted.has(key)) continue
      if (open.clone) this.stopOwn(key, open)
      if (open.sender) this.tap.post({ t: 'unrecord', tapId: this.tap.tapIdOf(open.sender) ?? -1 })
      open.sender = null
      open.feed = null
    }
    // New tracks are opened together (one round trip, not one per track), then fed.
    const fresh = [...wanted].filter(([key]) => !this.open.has(key))
    const numbers = await Promise.all(
      fresh.map(([, source]) =>
        this.api.invoke('recording.track', {
          recordingId,
          personId: source.personId.slice(0, 100),
          personName: source.personName.slice(0, 64) || 'Someone',
          role: source.role,
          kind: source.kind,
          codec: source.kind === 'video' ? 'vp8' : 'opus'
        })
      )
    )
    if (!running()) return
    fresh.forEach(([key], i) =>
      this.open.set(key, { number: (numbers[i] as { track: number }).track, feed: null, sender: null, clone: null })
    )
    for (const [key, source] of wanted) {
      const open = this.open.get(key)
      if (!open) continue
      const sent = source.track ? this.ownSender(source, open) : null
      const feed = source.receiver ?? sent?.sender ?? source.track ?? null
      if (open.feed === feed) continue
      if (open.clone) this.stopOwn(key, open)
      if (open.sender) this.tap.post({ t: 'unrecord', tapId: this.tap.tapIdOf(open.sender) ?? -1 })
      open.sender = null
      open.feed = feed
      const tapped = source.receiver ?? sent?.sender
      const tapId = tapped ? this.tap.tapIdOf(tapped) : null
      if (tapId !== null) this.tap.post({ t: 'record', tapId, track: open.number, t0: this.clockZero })
      if (sent) {
        open.sender = sent.sender
        if (source.kind === 'video') this.own?.askKeyFrame(sent.peerId)
      } else if (source.receiver && tapId === null)
        console.warn(`[recording] ${source.personName}'s ${source.kind} does not pass through the recording worker`)
      else if (source.track) this.encodeOwn(key, open, source.track, source.kind)
      this.feeds[open.number] = source.receiver ? 'received' : sent ? 'sent' : 'encoded'
      console.debug(`[recording] track ${open.number}: ${key} from ${this.feeds[open.number]} frames (tap ${tapId ?? '-'})`)
    }
  }

  /** The link to record our camera or microphone from: one that sends it now, passes through the worker, and has not failed to give a key frame. */
  private ownSender(source: TrackSource, open: OpenTrack): OwnSend<RTCRtpSender> | null {
    if (!this.own || source.role !== 'camera') return null // our screen: encoded here
    return pickOwnSend(this.own.sends(source.kind), open.sender, (s) => this.silentSenders.has(s) || this.tap.tapIdOf(s) === null)
  }

  private encodeOwn(key: string, open: OpenTrack, track: MediaStreamTrack, kind: 'video' | 'audio'): void {
    const Processor = trackProcessor()
    if (!Processor || track.readyState !== 'live') return
    // A clone: ours to stop, and the call's own track is never touched.
    const clone = track.clone()
    open.clone = clone
    const { readable } = new Processor({ track: clone, maxBufferSize: kind === 'video' ? 2 : 10 })
    this.tap.post({ t: 'encode', key, track: open.number, kind, t0: this.clockZero, frames: readable }, [
      readable as unknown as Transferable
    ])
  }

  private stopOwn(key: string, open: OpenTrack): void {
    this.tap.post({ t: 'stop-encode', key })
    open.clone?.stop()
    open.clone = null
    open.feed = null
  }

  private onWorker(message: FromTapWorker): void {
    if (message.t === 'batch') this.enqueue(message.bytes)
    else if (message.t === 'no-key') {
      const open = [...this.open.values()].find((o) => o.number === message.track && o.sender)
      if (!open?.sender || this.tap.tapIdOf(open.sender) !== message.tapId) return
      this.silentSenders.add(open.sender)
      this.sync() // encoded here from now on, or taken from another link
    } else if (message.t === 'ended') {
      this.framesPerTrack = message.frames
      this.flushes.get(message.id)?.()
    } else console.warn(`[recording] ${message.message}`)
  }

  /** The worker stops taking frames and sends its last batch (our encoders' last seconds too). */
  private endWorker(): Promise<void> {
    const id = ++this.flushId
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 6000) // a worker that never answers must not hold the stop
      this.flushes.set(id, () => {
        clearTimeout(timer)
        this.flushes.delete(id)
        resolve()
      })
      this.tap.post({ t: 'end', id })
    })
  }

  private enqueue(bytes: Uint8Array): void {
    if (!['starting', 'recording', 'stopping'].includes(this.current.phase) || !this.current.recordingId) return
    this.uploads.push(bytes)
  }

  /** One batch to the core (see UploadQueue). */
  private async upload(bytes: Uint8Array): Promise<boolean> {
    const recordingId = this.current.recordingId
    if (!recordingId) return false
    const accepted = await this.api.invoke('recording.frames', { recordingId, seq: this.seq, bytes })
    this.seq++
    this.update({ savedMs: Math.max(this.current.savedMs, accepted.writtenMs), bytesSent: this.current.bytesSent + bytes.byteLength })
    return true
  }

  private participants(): RecordingParticipant[] {
    const people = new Map<string, string>()
    for (const s of this.sources) if (!people.has(s.personId)) people.set(s.personId, s.personName)
    return [...people].map(([id, name]) => ({ id: id.slice(0, 100), name: name.slice(0, 64) || 'Someone' }))
  }

  private async sendParticipants(): Promise<void> {
    const participants = this.participants()
    const key = JSON.stringify(participants)
    if (key === this.participantsKey || !this.current.recordingId) return
    this.participantsKey = key
    await this.api.invoke('recording.participants', { recordingId: this.current.recordingId, participants }).catch(() => undefined)
  }

  private async fail(error: string): Promise<void> {
    if (this.current.phase === 'failed' || this.current.phase === 'stopped') return
    const { recordingId } = this.current
    this.uploads.clear()
    this.tap.post({ t: 'end', id: 0 })
    this.update({ phase: 'failed', error })
    // The core keeps what it has; ask it for the entry so the user sees the file.
    if (recordingId) {
      const entry = await this.api.invoke('recording.stop', { recordingId }).catch(() => undefined)
      if (entry) this.update({ entry })
    }
    this.cleanup()
  }

  private cleanup(): void {
    if (this.ownFeedTimer) clearInterval(this.ownFeedTimer)
    this.ownFeedTimer = null
    for (const off of this.unsubscribe.splice(0)) off()
    for (const [key, open] of this.open) if (open.clone) this.stopOwn(key, open)
  }

  private update(patch: Partial<RecorderStatus>): void {
    this.current = { ...this.current, ...patch }
    for (const listener of this.listeners) listener(this.current)
  }
}
