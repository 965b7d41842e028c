import type { Drawing } from './drawing'
import { layoutTiles } from './layout'
import { PageDrawing } from './page-drawing'
import { canDrawInWorker, WorkerDrawing } from './worker-drawing'

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
  private readonly audio: AudioContext
  private readonly mix: MediaStreamAudioDestinationNode
  private readonly drawing: Drawing
  private sources: CompositorSource[] = []
  private readonly inputs = new Map<string, AudioInput>() // by audio track id
  private microphone: { stream: MediaStream; sourceId: string | null } | null = null
  private disposed = false

  constructor(options: CompositorOptions = {}) {
    this.width = options.width ?? 1280
    this.height = options.height ?? 720
    this.fps = options.fps ?? 30
    this.canvas = document.createElement('canvas')
    this.canvas.width = this.width
    this.canvas.height = this.height
    this.audio = new AudioContext({ latencyHint: 'playback' })
    this.mix = this.audio.createMediaStreamDestination()
    // Captured before the canvas may be handed to the worker: what the worker draws shows here.
    const video = this.canvas.captureStream(this.fps).getVideoTracks()
    this.stream = new MediaStream([...video, ...this.mix.stream.getAudioTracks()])
    const speakerNow = () => this.activeSpeaker(performance.now())
    this.drawing = startDrawing(this.canvas, this.fps, speakerNow)
  }

  /** Who is in the recording now. Call it whenever the call changes; it never interrupts the stream. */
  setSources(sources: readonly CompositorSource[]): void {
    this.sources = sources.map((s) => ({ ...s }))
    const tiles = layoutTiles(this.sources, this.width, this.height)
    this.drawing.setScene(
      tiles,
      this.sources.map((s) => ({ id: s.id, name: s.name, isScreen: !!s.isScreen, video: s.stream?.getVideoTracks()[0] ?? null }))
    )
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
    this.drawing.dispose()
    for (const t of this.stream.getTracks()) t.stop()
    for (const input of this.inputs.values()) input.node.disconnect()
    this.inputs.clear()
    void this.audio.close()
  }

  /** Connects every audio track of the sources and the mic to the mix, once each; drops the rest. */
  private syncAudio(): void {
    const wanted = new Map<string, { track: MediaStreamTrack; sourceId: string | null }>()
    for (const s of this.sources) for (const track of s.stream?.getAudioTracks() ?? []) wanted.set(track.id, { track, sourceId: s.id })
    if (this.microphone)
      for (const track of this.microphone.stream.getAudioTracks()) wanted.set(track.id, { track, sourceId: this.microphone.sourceId })
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
    await this.drawing.drawNow()
    await new Promise((resolve) => setTimeout(resolve, Math.max(FINAL_FRAME_MS, 2000 / this.fps)))
  }

  /** What one frame costs to draw lately (ms); where it is high the frame rate is lowered. */
  get drawCostMs(): number {
    return this.drawing.drawCostMs
  }

  /** Frames drawn so far (for diagnostics: drawn per second is the compositor's real frame rate). */
  get framesDrawn(): number {
    return this.drawing.framesDrawn
  }
}

/** In a worker where the browser can; on the page where it cannot, or the worker fails to start. */
function startDrawing(canvas: HTMLCanvasElement, fps: number, speakerNow: () => string | null): Drawing {
  if (canDrawInWorker()) {
    try {
      return new WorkerDrawing(canvas, fps, speakerNow)
    } catch {
      // the worker was refused (a policy, a broken build): the canvas is still ours to draw on
    }
  }
  return new PageDrawing(canvas, fps, speakerNow)
}
