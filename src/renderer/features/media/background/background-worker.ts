/// <reference lib="webworker" />
import { BlurRate } from './blur-rate'
import type { FromWorker, ToWorker } from './messages'

/**
 * The camera with its background blurred, off the page's thread (a classic worker: the
 * segmentation solution loads its wasm with importScripts). Each frame is segmented by
 * MediaPipe's selfie model (shipped with the app: nothing is fetched from elsewhere), the
 * background drawn from a small blurred copy of the frame, the person drawn sharp over it.
 * Frames that arrive while one is being worked on are dropped by the track processor, so a slow
 * machine sends fewer frames, never old ones.
 */
interface Segmentation {
  setOptions(o: { modelSelection: number; selfieMode: boolean }): void
  onResults(listener: (r: { segmentationMask: CanvasImageSource }) => void): void
  initialize(): Promise<void>
  send(input: { image: OffscreenCanvas }): Promise<void>
  close(): Promise<void>
}
type SegmentationClass = new (config: { locateFile: (file: string) => string }) => Segmentation

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message)
/** The blurred background is drawn from a copy this many times smaller: the blur costs next to nothing. */
const SHRINK = 8

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (event.data.t === 'start') void run(event.data).catch((err: unknown) => post({ t: 'failed', reason: String(err) }))
}

async function run(start: ToWorker): Promise<void> {
  const locateFile = (file: string) => {
    const url = start.files[file]
    if (!url) throw new Error(`the segmentation asked for a file the app does not ship: ${file}`)
    return url
  }
  actLikeAPage()
  ;(self as unknown as { importScripts(...urls: string[]): void }).importScripts(start.solution)
  const Solution = (self as unknown as { SelfieSegmentation?: SegmentationClass }).SelfieSegmentation
  if (!Solution) throw new Error('the segmentation solution did not load')
  const segmentation = new Solution({ locateFile })
  // The landscape model: made for video calls (16:9), and faster than the square one.
  segmentation.setOptions({ modelSelection: 1, selfieMode: false })
  let mask: CanvasImageSource | null = null
  segmentation.onResults((r) => (mask = r.segmentationMask))
  await segmentation.initialize()
  post({ t: 'ready' })

  const paint = new Painter()
  const rate = new BlurRate(start.minFps)
  const reader = start.readable.getReader()
  const writer = start.writable.getWriter()
  for (;;) {
    const { value: frame, done } = await reader.read()
    if (done || !frame) break
    rate.frameIn()
    const began = performance.now()
    try {
      const sharp = paint.take(frame)
      mask = null
      await segmentation.send({ image: sharp })
      if (mask) await writer.write(paint.compose(mask, frame.timestamp))
      rate.frameOut(performance.now() - began)
    } finally {
      frame.close()
    }
    const report = rate.tick()
    if (report) post(report)
  }
  await segmentation.close()
  await writer.close().catch(() => undefined)
}

/**
 * The solution's own worker path is unfinished (it never loads the model and never keeps its
 * WebGL context), while its page path works: so the worker gets the little of a page that path
 * touches. Scripts it adds load with importScripts; canvases are OffscreenCanvases.
 */
function actLikeAPage(): void {
  const scope = self as unknown as Record<string, unknown> & { importScripts(...urls: string[]): void }
  const importScripts = scope.importScripts.bind(self)
  const script = () => {
    const attrs: Record<string, string> = {}
    const on: Record<string, () => void> = {}
    return {
      setAttribute: (name: string, value: string) => void (attrs[name] = value),
      addEventListener: (type: string, listener: () => void) => void (on[type] = listener),
      load() {
        try {
          importScripts(attrs.src ?? '')
        } catch (err) {
          console.warn(`background blur: ${String(err)}`)
          return on.error?.()
        }
        on.load?.()
      }
    }
  }
  scope.window = self
  scope.alert = (message: string) => {
    throw new Error(message)
  }
  scope.document = {
    createElement: (tag: string) => (tag === 'canvas' ? new OffscreenCanvas(1, 1) : script()),
    body: { appendChild: (el: { load(): void }) => el.load() },
    addEventListener: () => undefined,
    removeEventListener: () => undefined
  }
}

class Painter {
  /** the frame as it came */
  private readonly sharp = new OffscreenCanvas(1, 1)
  /** what we send: the blurred background, the person over it */
  private readonly out = new OffscreenCanvas(1, 1)
  private readonly small = new OffscreenCanvas(1, 1)
  private readonly person = new OffscreenCanvas(1, 1)

  take(frame: VideoFrame): OffscreenCanvas {
    const w = frame.displayWidth
    const h = frame.displayHeight
    if (this.sharp.width !== w || this.sharp.height !== h) {
      for (const c of [this.sharp, this.out, this.person]) {
        c.width = w
        c.height = h
      }
      this.small.width = Math.max(1, Math.round(w / SHRINK))
      this.small.height = Math.max(1, Math.round(h / SHRINK))
    }
    this.sharp.getContext('2d')!.drawImage(frame, 0, 0)
    return this.sharp
  }

  /** The mask's alpha is how sure the model is that a pixel is the person. */
  compose(mask: CanvasImageSource, timestamp: number): VideoFrame {
    const { width: w, height: h } = this.out
    this.small.getContext('2d')!.drawImage(this.sharp, 0, 0, this.small.width, this.small.height)
    const out = this.out.getContext('2d')!
    out.filter = 'blur(6px)'
    out.drawImage(this.small, 0, 0, w, h)
    out.filter = 'none'
    const person = this.person.getContext('2d')!
    person.globalCompositeOperation = 'copy'
    person.drawImage(mask, 0, 0, w, h)
    person.globalCompositeOperation = 'source-in'
    person.drawImage(this.sharp, 0, 0)
    out.drawImage(this.person, 0, 0)
    return new VideoFrame(this.out, { timestamp })
  }
}
