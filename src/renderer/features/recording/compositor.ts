import { layoutTiles, type Tile } from './layout'
import { createTicker, type Ticker } from './ticker'
import { drawTile } from './draw-tile'

/** One thing to show and hear in the recording: a person (camera + mic) or a screen share. */
export interface CompositorSource {
  /** stable across updates (a peer id, "self", "screen:<peer>") */
  id: string
  name: string
  /** video and/or audio; null: a tile with initials only */
  stream: MediaStream | null
  isScreen?: boolean
  /** from the call UI; left undefined, the compositor judges by the audio level */
  isSpeaking?: boolean
}

export interface CompositorOptions {
  width?: number
  height?: number
  fps?: number
}

interface AudioInput {
  sourceId: string | null
  node: MediaStreamAudioSourceNode
  analyser: AnalyserNode
  /** last time this input was louder than the speaking threshold */
  loudAt: number
  level: number
}

const SPEAKING_DB = -50
const SPEAKING_HOLD_MS = 600
/**
 * The slowest the recording's video may get, however slow drawing is: below this a file plays
 * as a slide show, and its video ends well before its sound (the last frame is that old).
 */
const MIN_FPS = 1
/** How long the last frame is given to reach the file before the recorder stops. */
const FINAL_FRAME_MS = 400

/**
 * What the recording sees and hears: a canvas that draws every source in a grid (a screen
 * share large), names on tiles, the active speaker outlined; and a Web Audio mix of every
 * source's audio plus the local microphone. `stream` (canvas video + mixed audio) never
 * changes, so sources can come and go mid-recording without a gap in the file.
 */
export class MeetingCompositor {
  readonly width: number
  readonly height: number
  readonly fps: number
  readonly canvas: HTMLCanvasElement
  readonly stream: MediaStream
  private readonly g: CanvasRenderingContext2D
  private readonly audio: AudioContext
  private readonly mix: MediaStreamAudioDestinationNode
  private readonly ticker: Ticker
  private sources: CompositorSource[] = []
  private tiles: Tile[] = []
  private readonly videos = new Map<string, HTMLVideoElement>()
  private readonly inputs = new Map<string, AudioInput>() // by audio track id
  private microphone: { stream: MediaStream; sourceId: string | null } | null = null
  private disposed = false
  /** average cost of one draw (ms), and when the last one ran */
  private drawMs = 0
  private lastDraw = 0
  private drawn = 0

  constructor(options: CompositorOptions = {}) {
    this.width = options.width ?? 1280
    this.height = options.height ?? 720
    this.fps = options.fps ?? 30
    this.canvas = document.createElement('canvas')
    this.canvas.width = this.width
    this.canvas.height = this.height
    const g = this.canvas.getContext('2d', { alpha: false })
    if (!g) throw new Error('This browser cannot draw the recording (no 2D canvas)')
    this.g = g
    this.audio = new AudioContext({ latencyHint: 'playback' })
    this.mix = this.audio.createMediaStreamDestination()
    this.draw()
    const video = this.canvas.captureStream(this.fps).getVideoTracks()
    this.stream = new MediaStream([...video, ...this.mix.stream.getAudioTracks()])
    // A worker's timer keeps ticking when the window is hidden; the page's own would be throttled.
    this.ticker = createTicker(this.fps, () => this.tick())
  }

  /** Who is in the recording now. Call it whenever the call changes; it never interrupts the stream. */
  setSources(sources: readonly CompositorSource[]): void {
    this.sources = sources.map((s) => ({ ...s }))
    this.tiles = layoutTiles(this.sources, this.width, this.height)
    const live = new Set(this.sources.map((s) => s.id))
    for (const [id, video] of this.videos) {
      if (!live.has(id)) {
        video.srcObject = null
        this.videos.delete(id)
      }
    }
    for (const s of this.sources) this.attachVideo(s)
    this.syncAudio()
  }

  /** The local microphone, mixed in; `sourceId` is the tile it belongs to (for the speaking outline). */
  setMicrophone(stream: MediaStream | null, sourceId: string | null = null): void {
    this.microphone = stream ? { stream, sourceId } : null
    this.syncAudio()
  }

  /** Audio runs only after a user gesture in some browsers: call from the click that starts recording. */
  async resume(): Promise<void> {
    if (this.audio.state === 'suspended') await this.audio.resume()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.ticker.stop()
    for (const t of this.stream.getTracks()) t.stop()
    for (const v of this.videos.values()) v.srcObject = null
    this.videos.clear()
    for (const input of this.inputs.values()) input.node.disconnect()
    this.inputs.clear()
    void this.audio.close()
  }

  private attachVideo(source: CompositorSource): void {
    const track = source.stream?.getVideoTracks()[0]
    const existing = this.videos.get(source.id)
    if (!track) {
      if (existing) existing.srcObject = null
      this.videos.delete(source.id)
      return
    }
    if (existing && (existing.srcObject as MediaStream | null)?.getVideoTracks()[0] === track) return
    const video = existing ?? document.createElement('video')
    video.muted = true // its sound goes through the mix, never to the speakers from here
    video.playsInline = true
    video.srcObject = new MediaStream([track])
    void video.play().catch(() => undefined)
    this.videos.set(source.id, video)
  }

  /** Connects every audio track of the sources and the mic to the mix, once each; drops the rest. */
  private syncAudio(): void {
    const wanted = new Map<string, { track: MediaStreamTrack; sourceId: string | null }>()
    for (const s of this.sources) for (const track of s.stream?.getAudioTracks() ?? []) wanted.set(track.id, { track, sourceId: s.id })
    if (this.microphone) for (const track of this.microphone.stream.getAudioTracks()) wanted.set(track.id, { track, sourceId: this.microphone.sourceId })
    for (const [id, input] of this.inputs) {
      if (!wanted.has(id)) {
        input.node.disconnect()
        this.inputs.delete(id)
      }
    }
    for (const [id, { track, sourceId }] of wanted) {
      const existing = this.inputs.get(id)
      if (existing) {
        existing.sourceId = sourceId
        continue
      }
      const node = this.audio.createMediaStreamSource(new MediaStream([track]))
      const analyser = this.audio.createAnalyser()
      analyser.fftSize = 512
      node.connect(this.mix)
      node.connect(analyser)
      this.inputs.set(id, { sourceId, node, analyser, loudAt: 0, level: -100 })
    }
  }

  /** The loudest source that spoke lately, unless the call UI said who speaks. */
  private activeSpeaker(now: number): string | null {
    const told = this.sources.filter((s) => s.isSpeaking !== undefined)
    if (told.length > 0) return told.find((s) => s.isSpeaking)?.id ?? null
    const samples = new Float32Array(512)
    let best: AudioInput | null = null
    for (const input of this.inputs.values()) {
      input.analyser.getFloatTimeDomainData(samples)
      let sum = 0
      for (const v of samples) sum += v * v
      input.level = 10 * Math.log10(sum / samples.length + 1e-12)
      if (input.level > SPEAKING_DB) input.loudAt = now
      if (input.sourceId && now - input.loudAt < SPEAKING_HOLD_MS && (!best || input.level > best.level)) best = input
    }
    return best?.sourceId ?? null
  }

  /**
   * Draws now, then gives the encoder time to take that frame and the ones before it: call it
   * just before stopping the MediaRecorder, which drops frames still being encoded, so the
   * file's video lasts as long as its sound. On a busy machine without a GPU encoding a 720p
   * frame took up to a few hundred ms (measured in the recording-call test).
   */
  async drawFinalFrame(): Promise<void> {
    if (this.disposed) return
    this.lastDraw = performance.now()
    this.draw()
    await new Promise((resolve) => setTimeout(resolve, Math.max(FINAL_FRAME_MS, 2000 / this.fps)))
  }

  /**
   * Draws unless that would starve the page: where drawing a frame is slow (no GPU, a busy
   * machine) the frame rate drops so drawing takes at most ~40% of the main thread, and the
   * call UI stays responsive; never below MIN_FPS. The recording's timing is unaffected:
   * frames carry their time.
   */
  private tick(): void {
    const now = performance.now()
    if (now - this.lastDraw < Math.min(this.drawMs / 0.4, 1000 / MIN_FPS)) return
    this.lastDraw = now
    this.draw()
    const spent = performance.now() - now
    this.drawMs = this.drawMs === 0 ? spent : this.drawMs * 0.8 + spent * 0.2
  }

  /** What one frame costs to draw lately (ms); above ~13 ms at 30 fps the frame rate is lowered. */
  get drawCostMs(): number {
    return this.drawMs
  }

  /** Frames drawn so far (for diagnostics: drawn per second is the compositor's real frame rate). */
  get framesDrawn(): number {
    return this.drawn
  }

  private draw(): void {
    this.drawn++
    const g = this.g
    g.fillStyle = '#0f1115'
    g.fillRect(0, 0, this.width, this.height)
    const speaker = this.activeSpeaker(performance.now())
    const byId = new Map(this.sources.map((s) => [s.id, s]))
    for (const tile of this.tiles) {
      const source = byId.get(tile.id)
      if (!source) continue
      const video = this.videos.get(tile.id)
      const frame = video && video.readyState >= 2 && video.videoWidth > 0 ? video : null
      drawTile(g, tile, { name: source.name, frame, speaking: speaker === source.id, isScreen: !!source.isScreen, scale: this.height / 720 })
    }
  }
}
