import { drawScene } from './draw-tile'
import type { Tile } from './layout'
import { FrameBudget } from './frame-budget'
import { createTicker, type Ticker } from './ticker'
import type { Drawing, DrawingSource } from './drawing'

/**
 * The recording drawn on the page's main thread: the fallback where the compositor's worker
 * cannot run (no OffscreenCanvas or MediaStreamTrackProcessor). Videos play in <video>
 * elements of our own and are drawn from there.
 */
export class PageDrawing implements Drawing {
  private readonly g: CanvasRenderingContext2D
  private readonly ticker: Ticker
  private readonly videos = new Map<string, HTMLVideoElement>()
  private tiles: Tile[] = []
  private sources = new Map<string, DrawingSource>()
  private readonly budget = new FrameBudget()
  private drawn = 0

  constructor(
    private readonly canvas: HTMLCanvasElement,
    fps: number,
    private readonly speakerNow: () => string | null
  ) {
    const g = canvas.getContext('2d', { alpha: false })
    if (!g) throw new Error('This browser cannot draw the recording (no 2D canvas)')
    this.g = g
    this.budget.drawNow(() => this.draw())
    // A worker's timer keeps ticking when the window is hidden; the page's own would be throttled.
    this.ticker = createTicker(fps, () => this.budget.tick(() => this.draw()))
  }

  get framesDrawn(): number {
    return this.drawn
  }

  get drawCostMs(): number {
    return this.budget.averageCostMs
  }

  setScene(tiles: Tile[], sources: readonly DrawingSource[]): void {
    this.tiles = tiles
    this.sources = new Map(sources.map((s) => [s.id, s]))
    for (const [id, video] of this.videos) {
      if (!this.sources.has(id)) {
        video.srcObject = null
        this.videos.delete(id)
      }
    }
    for (const s of sources) this.attachVideo(s.id, s.video)
  }

  async drawNow(): Promise<void> {
    this.budget.drawNow(() => this.draw())
  }

  dispose(): void {
    this.ticker.stop()
    for (const v of this.videos.values()) v.srcObject = null
    this.videos.clear()
  }

  private attachVideo(id: string, track: MediaStreamTrack | null): void {
    const existing = this.videos.get(id)
    if (!track) {
      if (existing) existing.srcObject = null
      this.videos.delete(id)
      return
    }
    if (existing && (existing.srcObject as MediaStream | null)?.getVideoTracks()[0] === track) return
    const video = existing ?? document.createElement('video')
    video.muted = true // its sound goes through the mix, never to the speakers from here
    video.playsInline = true
    video.srcObject = new MediaStream([track])
    void video.play().catch(() => undefined)
    this.videos.set(id, video)
  }

  /** One frame; the budget (frame-budget.ts) decides how often, so the call UI stays responsive. */
  private draw(): void {
    this.drawn++
    const speaker = this.speakerNow()
    drawScene(this.g, this.canvas, this.tiles, (tile) => {
      const source = this.sources.get(tile.id)
      if (!source) return null
      const video = this.videos.get(tile.id)
      const frame =
        video && video.readyState >= 2 && video.videoWidth > 0 ? { image: video, width: video.videoWidth, height: video.videoHeight } : null
      return { name: source.name, frame, speaking: speaker === source.id, isScreen: source.isScreen, scale: this.canvas.height / 720 }
    })
  }
}
