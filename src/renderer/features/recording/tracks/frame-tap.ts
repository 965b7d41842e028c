import type { FromTapWorker, ToTapWorker } from './tap-messages'

type ScriptTransformCtor = new (worker: Worker, options: unknown) => unknown
type TrackProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame | AudioData>
}

const scriptTransform = () => (globalThis as { RTCRtpScriptTransform?: ScriptTransformCtor }).RTCRtpScriptTransform
export const trackProcessor = () => (globalThis as { MediaStreamTrackProcessor?: TrackProcessorCtor }).MediaStreamTrackProcessor

/**
 * Whether this browser can record per person from encoded frames: encoded transforms for the
 * others' frames, WebCodecs and track processors for our own. Where it cannot, recording falls
 * back to the compositor.
 */
export function canTapEncodedFrames(): boolean {
  return (
    typeof Worker !== 'undefined' &&
    scriptTransform() !== undefined &&
    trackProcessor() !== undefined &&
    typeof VideoEncoder !== 'undefined' &&
    typeof AudioEncoder !== 'undefined'
  )
}

/** A member may ask for a key frame of what it receives from us this often at most, per receiver. */
const KEY_REQUEST_EVERY_MS = 1_000

/**
 * The page's one recording worker (tap-worker.ts) and the receivers and senders that pass
 * through it. The call gives it every receiver, and every link's camera and microphone sender,
 * as it is created (`attach`, `attachSender`); a recording later asks it to copy some of them
 * into tracks, and gets the batches of frames.
 */
export class FrameTap {
  private readonly worker: Worker
  private readonly ids = new WeakMap<RTCRtpReceiver | RTCRtpSender, number>()
  private readonly keyRequested = new WeakMap<RTCRtpReceiver, number>()
  private nextId = 1
  private readonly listeners = new Set<(message: FromTapWorker) => void>()

  constructor() {
    this.worker = new Worker(new URL('./tap-worker.ts', import.meta.url), { type: 'module' })
    this.worker.onmessage = (event: MessageEvent<FromTapWorker>) => {
      for (const listener of this.listeners) listener(event.data)
    }
  }

  /** Route a new receiver's frames through the worker; once per receiver, when it is created. */
  attach(receiver: RTCRtpReceiver): void {
    this.route(receiver, receiver.track.kind === 'audio' ? 'audio' : 'video', 'receiver')
  }

  /** Route a link's sender of our camera or microphone through the worker; once, when it is created. */
  attachSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void {
    this.route(sender, kind, 'sender')
  }

  /** The receiver's or sender's id in the worker, or null when it does not pass through it. */
  tapIdOf(end: RTCRtpReceiver | RTCRtpSender): number | null {
    return this.ids.get(end) ?? null
  }

  /** A member records what it sends us: have its encoder make a key frame (at most once a second). */
  requestKeyFrame(receiver: RTCRtpReceiver): void {
    const tapId = this.ids.get(receiver)
    const last = this.keyRequested.get(receiver) ?? -Infinity
    if (tapId === undefined || performance.now() - last < KEY_REQUEST_EVERY_MS) return
    this.keyRequested.set(receiver, performance.now())
    this.post({ t: 'key-request', tapId })
  }

  private route(end: RTCRtpReceiver | RTCRtpSender, kind: 'audio' | 'video', side: 'receiver' | 'sender'): void {
    const Transform = scriptTransform()
    if (!Transform || this.ids.has(end)) return
    const tapId = this.nextId++
    try {
      ;(end as unknown as { transform: unknown }).transform = new Transform(this.worker, { tapId, kind, side })
      this.ids.set(end, tapId)
    } catch {
      // not for this one: a recording records it another way (the compositor, or our own encoder)
    }
  }

  post(message: ToTapWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }

  onMessage(listener: (message: FromTapWorker) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

let pageTap: FrameTap | null | undefined

/** The page's tap, created on first use; null where the browser cannot tap encoded frames. */
export function frameTap(): FrameTap | null {
  if (pageTap === undefined) {
    try {
      pageTap = canTapEncodedFrames() ? new FrameTap() : null
    } catch {
      pageTap = null
    }
  }
  return pageTap
}
