/// <reference lib="webworker" />
import { BlurRate } from './blur-rate'
import type { FromWorker, ToWorker } from './messages'
import { Painter } from './painter'
import { cpuSegmentationGraph } from './segmentation-graph'

/**
 * The camera with its background blurred or replaced by a picture, off the page's thread (a
 * classic worker: the segmentation solution loads its wasm with importScripts). Each frame is
 * segmented by MediaPipe's selfie model (shipped with the app: nothing is fetched from
 * elsewhere; the graph that runs it is ours, segmentation-graph.ts), the background drawn from a
 * small blurred copy of the frame (or the picture), the person drawn sharp over it. Frames that
 * arrive while one is being worked on are dropped by the track processor, so a slow machine
 * sends fewer frames, never old ones.
 */
interface Segmentation {
  setOptions(o: { modelSelection: number; selfieMode: boolean }): void
  onResults(listener: (r: { segmentationMask: CanvasImageSource }) => void): void
  initialize(): Promise<void>
  send(input: { image: OffscreenCanvas }): Promise<void>
  close(): Promise<void>
}
type SegmentationClass = new (config: { locateFile: (file: string) => string }) => Segmentation

const GRAPH = 'dym:segmentation-graph'
const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message)

const paint = new Painter()

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data
  if (m.t === 'look') paint.look = m.look
  if (m.t === 'start') {
    paint.look = m.look
    void run(m).catch((err: unknown) => post({ t: 'failed', reason: String(err) }))
  }
}

async function run(start: Extract<ToWorker, { t: 'start' }>): Promise<void> {
  // The model runs on the CPU (see segmentation-graph.ts), not through WebGL: the solution
  // fetches our graph instead of its own (a page's CSP would refuse a blob: URL).
  const graph = cpuSegmentationGraph()
  const fetchFile = self.fetch.bind(self)
  self.fetch = (input, init) => (input === GRAPH ? Promise.resolve(new Response(graph)) : fetchFile(input, init))
  const files: Record<string, string> = { ...start.files, 'selfie_segmentation.binarypb': GRAPH }
  const locateFile = (file: string) => {
    const url = files[file]
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

  const rate = new BlurRate(start.minFps)
  const reader = start.readable.getReader()
  const writer = start.writable.getWriter()
  for (;;) {
    const { value: frame, done } = await reader.read()
    if (done || !frame) break
    rate.frameIn()
    const began = performance.now()
    try {
      paint.take(frame)
      mask = null
      // The model sees 256x144 anyway: a small copy costs less to hand over than the frame.
      await segmentation.send({ image: paint.modelInput() })
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
          console.warn(`background effect: ${String(err)}`)
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
