import type { Drawing, DrawingSource } from './drawing'
import type { Tile } from './layout'
import { createTicker, type Ticker } from './ticker'
import type { FromWorker, ToWorker } from './worker-messages'

type TrackProcessor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> }

function trackProcessor(): TrackProcessor | null {
  return (globalThis as { MediaStreamTrackProcessor?: TrackProcessor }).MediaStreamTrackProcessor ?? null
}

/** Chromium (so Electron) can draw the recording off the main thread; others use PageDrawing. */
export function canDrawInWorker(): boolean {
  return (
    typeof OffscreenCanvas !== 'undefined' &&
    typeof Worker !== 'undefined' &&
    trackProcessor() !== null &&
    'transferControlToOffscreen' in HTMLCanvasElement.prototype
  )
}

/** How often the page tells the worker who speaks (it decides from the audio it mixes). */
const SPEAKER_HZ = 5

/**
 * The recording drawn in compositor-worker.ts. The page's canvas is handed to the worker, each
 * video goes there as VideoFrames through a MediaStreamTrackProcessor on a clone of its track
 * (the clone is ours to stop), and who speaks is sent a few times a second.
 */
export class WorkerDrawing implements Drawing {
  private readonly worker: Worker
  private readonly clones = new Map<string, { original: MediaStreamTrack; clone: MediaStreamTrack }>()
  private readonly ticker: Ticker
  private speaker: string | null = null
  private drawn = 0
  private cost = 0
  private drewNow: Array<() => void> = []

  constructor(canvas: HTMLCanvasElement, fps: number, speakerNow: () => string | null) {
    this.worker = new Worker(new URL('./compositor-worker.ts', import.meta.url), { type: 'module' })
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.t === 'drawn') {
        this.drawn = e.data.frames
        this.cost = e.data.costMs
      } else for (const resolve of this.drewNow.splice(0)) resolve()
    }
    const offscreen = canvas.transferControlToOffscreen()
    this.post({ t: 'init', canvas: offscreen, fps }, [offscreen])
    this.ticker = createTicker(SPEAKER_HZ, () => {
      const now = speakerNow()
      if (now === this.speaker) return
      this.speaker = now
      this.post({ t: 'speaker', id: now })
    })
  }

  get framesDrawn(): number {
    return this.drawn
  }

  get drawCostMs(): number {
    return this.cost
  }

  setScene(tiles: Tile[], sources: readonly DrawingSource[]): void {
    this.post({ t: 'scene', tiles, sources: sources.map((s) => ({ id: s.id, name: s.name, isScreen: s.isScreen })) })
    const live = new Set(sources.map((s) => s.id))
    for (const [id, c] of this.clones) {
      if (live.has(id)) continue
      c.clone.stop()
      this.clones.delete(id)
    }
    for (const s of sources) this.attachVideo(s.id, s.video)
  }

  /** Draws now; resolves once the worker has (at most a second later, however busy it is). */
  drawNow(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000)
      this.drewNow.push(() => {
        clearTimeout(timer)
        resolve()
      })
      this.post({ t: 'draw-now' })
    })
  }

  dispose(): void {
    this.ticker.stop()
    // Tracks first: their streams end, and the worker closes once it has read (and closed) every
    // frame still on its way.
    for (const c of this.clones.values()) c.clone.stop()
    this.clones.clear()
    this.post({ t: 'stop' })
    for (const resolve of this.drewNow.splice(0)) resolve()
  }

  private attachVideo(id: string, track: MediaStreamTrack | null): void {
    const current = this.clones.get(id)
    if (current?.original === track) return
    current?.clone.stop()
    this.clones.delete(id)
    const Processor = trackProcessor()
    if (!track || !Processor) return this.post({ t: 'video', id, readable: null })
    const clone = track.clone()
    this.clones.set(id, { original: track, clone })
    const { readable } = new Processor({ track: clone, maxBufferSize: 1 })
    this.post({ t: 'video', id, readable }, [readable])
  }

  private post(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(message, transfer)
  }
}
