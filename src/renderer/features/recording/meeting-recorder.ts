import {
  RECORDING_CHUNK_MAX_BYTES,
  toDymError,
  type DymApi,
  type RecordingEntry,
  type RecordingParticipant
} from '../../../shared/contract/index'
import { MeetingCompositor, type CompositorOptions, type CompositorSource } from './compositor'
import { UploadQueue } from './upload-queue'

export type RecorderPhase = 'idle' | 'starting' | 'recording' | 'stopping' | 'stopped' | 'failed'

export interface RecorderStatus {
  phase: RecorderPhase
  recordingId?: string
  /** what members answer to consent to a tracks recording (the core's id for it, and who records) */
  consent?: { id: string; recorder: string }
  /** the file's name in the recordings folder */
  name?: string
  /** when the first frame was recorded (ms since epoch): elapsed time is counted from here */
  startedAt?: number
  /**
   * when MediaRecorder was told to stop (ms since epoch): nothing after it is in the file. Later
   * than the Stop click by the final frame's drawing and the wait for it to reach the encoder.
   */
  endedAt?: number
  bytesSent: number
  /**
   * How much of the recording is on disk (ms of media, as ffmpeg reports it): a crash from now
   * on costs only what came after. Behind the clock by the slice length and by what the
   * browser's encoder still holds (up to a few seconds on a busy machine).
   */
  savedMs: number
  error?: string
  /** the finished recording, once stopped */
  entry?: RecordingEntry
}

export interface MeetingRecorderOptions extends CompositorOptions {
  videoBitsPerSecond?: number
  audioBitsPerSecond?: number
  /** MediaRecorder slice length; the core's crash safety counts on about a second */
  timesliceMs?: number
  /** the core's door (window.dym by default) */
  api?: DymApi
}

const PIECE_BYTES = Math.min(RECORDING_CHUNK_MAX_BYTES, 1024 * 1024)
const MIME_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm']

/**
 * Records a meeting: the compositor's canvas and audio mix go through MediaRecorder in
 * 1-second slices, and every slice goes to the core (`recording.chunk`) in order, one after
 * the other, so the core's backpressure reaches this side. Feed it with `setSources` any time
 * (before or during a recording); the participants' names go into the file's metadata.
 *
 *     const recorder = new MeetingRecorder({ width: 1280, height: 720, fps: 30 })
 *     recorder.setSources([{ id: 'self', name: 'alice.3bot', stream: camera }, ...remotes])
 *     recorder.setMicrophone(mic, 'self')
 *     await recorder.start({ title: 'Weekly sync' })
 *     ...
 *     const entry = await recorder.stop()
 */
export class MeetingRecorder {
  readonly compositor: MeetingCompositor
  private readonly api: DymApi
  private readonly options: MeetingRecorderOptions
  private current: RecorderStatus = { phase: 'idle', bytesSent: 0, savedMs: 0 }
  private readonly listeners = new Set<(status: RecorderStatus) => void>()
  private media: MediaRecorder | null = null
  private readonly uploads = new UploadQueue<Blob>({
    size: (blob) => blob.size,
    send: (blob) => this.upload(blob),
    onOverflow: () => void this.fail('The app is not writing the recording fast enough; it was stopped'),
    onError: (err) => this.fail(toDymError(err).message)
  })
  private seq = 0
  private participantsKey = ''
  private unsubscribe: (() => void) | null = null
  private sources: readonly CompositorSource[] = []

  constructor(options: MeetingRecorderOptions = {}) {
    this.options = options
    this.api = options.api ?? window.dym
    this.compositor = new MeetingCompositor(options)
  }

  get status(): RecorderStatus {
    return this.current
  }

  onStatus(listener: (status: RecorderStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  setSources(sources: readonly CompositorSource[]): void {
    this.compositor.setSources(sources)
    this.sources = sources
    if (this.current.phase === 'recording') void this.sendParticipants()
  }

  setMicrophone(stream: MediaStream | null, sourceId: string | null = null): void {
    this.compositor.setMicrophone(stream, sourceId)
  }

  /** Starts ffmpeg in the core, then MediaRecorder. Rejects (with the core's words) if either cannot start. */
  async start(request: { title: string }): Promise<void> {
    if (this.current.phase === 'starting' || this.current.phase === 'recording' || this.current.phase === 'stopping')
      throw new Error('Already recording')
    this.update({
      phase: 'starting',
      bytesSent: 0,
      savedMs: 0,
      error: undefined,
      entry: undefined,
      recordingId: undefined,
      name: undefined,
      startedAt: undefined,
      endedAt: undefined
    })
    try {
      await this.compositor.resume()
      const mimeType = MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t))
      if (!mimeType) throw new Error('This browser cannot record WebM video')
      const participants = this.participants()
      this.participantsKey = JSON.stringify(participants)
      const state = await this.api.invoke('recording.start', { title: request.title, participants, mimeType })
      this.update({ recordingId: state.recordingId, name: state.name })
      this.seq = 0
      this.uploads.clear()
      this.unsubscribe = this.api.on('recording.state', (s) => {
        if (s.recordingId === state.recordingId && s.phase === 'failed' && this.current.phase === 'recording')
          void this.fail(s.error ?? 'The recording stopped')
      })
      const media = new MediaRecorder(this.compositor.stream, {
        mimeType,
        videoBitsPerSecond: this.options.videoBitsPerSecond ?? 2_500_000,
        audioBitsPerSecond: this.options.audioBitsPerSecond ?? 128_000
      })
      this.media = media
      media.ondataavailable = (e) => this.enqueue(e.data)
      media.onerror = () => void this.fail('The browser stopped recording')
      // Captured from the start() call on; the "start" event may come later on a busy page.
      const startedAt = Date.now()
      await new Promise<void>((resolve) => {
        media.onstart = () => resolve()
        media.start(this.options.timesliceMs ?? 1000)
      })
      this.update({ phase: 'recording', startedAt })
    } catch (err) {
      this.cleanup()
      const message = toDymError(err).message
      this.update({ phase: 'failed', error: message })
      throw toDymError(err)
    }
  }

  /** Stops MediaRecorder, sends what is left, and has the core finalise the file. */
  async stop(): Promise<RecordingEntry | null> {
    const { recordingId } = this.current
    if (this.current.phase !== 'recording' || !recordingId) return this.current.entry ?? null
    this.update({ phase: 'stopping' })
    const media = this.media
    if (media && media.state !== 'inactive') {
      await this.compositor.drawFinalFrame()
      await new Promise<void>((resolve) => {
        media.onstop = () => resolve()
        this.update({ endedAt: Date.now() })
        media.stop() // the last slice arrives (dataavailable) before "stop"
      })
    }
    try {
      await this.flush()
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

  /** Stops everything, the compositor included. */
  dispose(): void {
    if (this.current.phase === 'recording') void this.stop()
    this.compositor.dispose()
  }

  private participants(): RecordingParticipant[] {
    return this.sources.filter((s) => !s.isScreen).map((s) => ({ id: s.id.slice(0, 100), name: s.name.slice(0, 64) || 'Someone' }))
  }

  private async sendParticipants(): Promise<void> {
    const participants = this.participants()
    const key = JSON.stringify(participants)
    if (key === this.participantsKey || !this.current.recordingId) return
    this.participantsKey = key
    await this.api.invoke('recording.participants', { recordingId: this.current.recordingId, participants }).catch(() => undefined)
  }

  private enqueue(blob: Blob): void {
    if (blob.size === 0 || (this.current.phase !== 'recording' && this.current.phase !== 'stopping' && this.current.phase !== 'starting'))
      return
    this.uploads.push(blob)
  }

  /** One MediaRecorder slice to the core, in pieces (see UploadQueue). */
  private async upload(blob: Blob): Promise<boolean> {
    const recordingId = this.current.recordingId
    if (!recordingId) return false
    let savedMs = this.current.savedMs
    const bytes = new Uint8Array(await blob.arrayBuffer())
    for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) {
      // slice, not subarray: structured clone (Electron IPC) would copy a view's whole buffer
      const piece = bytes.byteLength <= PIECE_BYTES ? bytes : bytes.slice(at, at + PIECE_BYTES)
      const accepted = await this.api.invoke('recording.chunk', { recordingId, seq: this.seq, bytes: piece })
      this.seq++
      savedMs = Math.max(savedMs, accepted.writtenMs)
    }
    this.update({ bytesSent: this.current.bytesSent + blob.size, savedMs })
    return true
  }

  private async flush(): Promise<void> {
    await this.uploads.drained()
  }

  private async fail(error: string): Promise<void> {
    if (this.current.phase === 'failed' || this.current.phase === 'stopped') return
    const { recordingId } = this.current
    this.uploads.clear()
    if (this.media && this.media.state !== 'inactive') this.media.stop()
    this.update({ phase: 'failed', error })
    // The core keeps what it has; ask it for the entry so the user sees the file.
    if (recordingId) {
      const entry = await this.api.invoke('recording.stop', { recordingId }).catch(() => undefined)
      if (entry) this.update({ entry })
    }
    this.cleanup()
  }

  private cleanup(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    if (this.media) {
      this.media.ondataavailable = null
      this.media.onerror = null
    }
    this.media = null
  }

  private update(patch: Partial<RecorderStatus>): void {
    this.current = { ...this.current, ...patch }
    for (const listener of this.listeners) listener(this.current)
  }
}

/** Diagnostics for tests and benchmarks, only when asked for (`dym.debug`, as the call's `window.dymCall`). */
export function exposeRecorderForDiagnostics(recorder: { readonly status: RecorderStatus }): void {
  if (localStorage.getItem('dym.debug') === '1') (window as unknown as { dymRecorder?: unknown }).dymRecorder = recorder
}
