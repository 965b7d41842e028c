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

/**
 * The page's one recording worker (tap-worker.ts) and the receivers that pass through it. The
 * call gives it every receiver as it is created (`attach`); a recording later asks it to copy
 * some of them into tracks, and gets the batches of frames.
 */
export class ReceiverTap {
  private readonly worker: Worker
  private readonly ids = new WeakMap<RTCRtpReceiver, number>()
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
    const Transform = scriptTransform()
    if (!Transform || this.ids.has(receiver)) return
    const tapId = this.nextId++
    const kind = receiver.track.kind === 'audio' ? 'audio' : 'video'
    try {
      ;(receiver as unknown as { transform: unknown }).transform = new Transform(this.worker, { tapId, kind })
      this.ids.set(receiver, tapId)
    } catch {
      // not for this receiver: a recording records it through the compositor instead
    }
  }

  /** The receiver's id in the worker, or null when it does not pass through it. */
  tapIdOf(receiver: RTCRtpReceiver): number | null {
    return this.ids.get(receiver) ?? null
  }

  post(message: ToTapWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }

  onMessage(listener: (message: FromTapWorker) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

let pageTap: ReceiverTap | null | undefined

/** The page's tap, created on first use; null where the browser cannot tap encoded frames. */
export function receiverTap(): ReceiverTap | null {
  if (pageTap === undefined) {
    try {
      pageTap = canTapEncodedFrames() ? new ReceiverTap() : null
    } catch {
      pageTap = null
    }
  }
  return pageTap
}
