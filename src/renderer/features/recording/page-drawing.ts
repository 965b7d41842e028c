import { drawScene } from './draw-tile'
import type { Tile } from './layout'
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
  /** average cost of one draw (ms), and when the last one ran */
  private drawMs = 0
  private lastDraw = 0
  private drawn = 0

  constructor(
    private readonly canvas: HTMLCanvasElement,
    fps: number,
    private readonly speakerNow: () => string | null
  ) {
    const g = canvas.getContext('2d', { alpha: false })
    if (!g) throw new Error('This browser cannot draw the recording (no 2D canvas)')
    this.g = g
    this.draw()
    // A worker's timer keeps ticking when the window is hidden; the page's own would be throttled.
    this.ticker = createTicker(fps, () => this.tick())
  }

  get framesDrawn(): number {
    return this.drawn
  }

  get drawCostMs(): number {
    return this.drawMs
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
    this.draw()
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

  /**
   * Draws unless that would starve the page: where drawing a frame is slow (no GPU, a busy
   * machine) the frame rate drops so drawing takes at most ~40% of the main thread, and the
   * call UI stays responsive; never below 1 frame a second. The recording's timing is
   * unaffected: frames carry their time.
   */
  private tick(): void {
    const now = performance.now()
    if (now - this.lastDraw < Math.min(this.drawMs / 0.4, 1000)) return
    this.draw()
    const spent = performance.now() - now
    this.drawMs = this.drawMs === 0 ? spent : this.drawMs * 0.8 + spent * 0.2
  }

  private draw(): void {
    this.lastDraw = performance.now()
    this.drawn++
    const speaker = this.speakerNow()
    drawScene(this.g, this.canvas, this.tiles, (tile) => {
      const source = this.sources.get(tile.id)
      if (!source) return null
      const video = this.videos.get(tile.id)
      const frame = video && video.readyState >= 2 && video.videoWidth > 0 ? { image: video, width: video.videoWidth, height: video.videoHeight } : null
      return { name: source.name, frame, speaking: speaker === source.id, isScreen: source.isScreen, scale: this.canvas.height / 720 }
    })
  }
}
