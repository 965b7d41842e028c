/// <reference lib="webworker" />
import { ImageSegmenter, type MPMask } from '@mediapipe/tasks-vision'
import { BlurRate } from './blur-rate'
import type { FromWorker, ToWorker } from './messages'

/**
 * The camera with its background blurred, off the page's thread: each frame is segmented
 * (MediaPipe's selfie model, shipped with the app: nothing is fetched from elsewhere), the
 * background drawn from a small blurred copy of the frame, the person drawn sharp over it.
 * Frames that arrive while one is being worked on are dropped by the track processor, so a slow
 * machine sends fewer frames, never old ones.
 */
const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message)
/** The blurred background is drawn from a copy this many times smaller: the blur costs next to nothing. */
const SHRINK = 8

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (event.data.t === 'start') void run(event.data).catch((err: unknown) => post({ t: 'failed', reason: String(err) }))
}

async function run(start: ToWorker): Promise<void> {
  const segmenter = await ImageSegmenter.createFromOptions(
    { wasmLoaderPath: start.wasmLoader, wasmBinaryPath: start.wasmBinary },
    {
      baseOptions: { modelAssetPath: start.model, delegate: 'CPU' },
      runningMode: 'VIDEO',
      outputConfidenceMasks: true,
      outputCategoryMask: false
    }
  )
  post({ t: 'ready' })
  const paint = new Painter()
  const rate = new BlurRate(start.minFps)
  const reader = start.readable.getReader()
  const writer = start.writable.getWriter()
  let lastTimestamp = -1
  for (;;) {
    const { value: frame, done } = await reader.read()
    if (done || !frame) break
    rate.frameIn()
    const began = performance.now()
    try {
      // The segmenter wants rising timestamps in ms; a camera switch can restart them.
      const at = Math.max(lastTimestamp + 1, Math.round(frame.timestamp / 1000))
      lastTimestamp = at
      let out: VideoFrame | null = null
      segmenter.segmentForVideo(frame, at, (result) => {
        const mask = result.confidenceMasks?.[0]
        if (mask) out = paint.compose(frame, mask)
      })
      if (out) await writer.write(out)
      rate.frameOut(performance.now() - began)
    } finally {
      frame.close()
    }
    const report = rate.tick()
    if (report) post(report)
  }
  segmenter.close()
  await writer.close().catch(() => undefined)
}

class Painter {
  private canvas = new OffscreenCanvas(1, 1)
  private small = new OffscreenCanvas(1, 1)
  private person = new OffscreenCanvas(1, 1)
  private maskCanvas = new OffscreenCanvas(1, 1)
  private maskPixels: ImageData | null = null

  compose(frame: VideoFrame, mask: MPMask): VideoFrame {
    const w = frame.displayWidth
    const h = frame.displayHeight
    this.size(w, h, mask.width, mask.height)
    const ctx = this.canvas.getContext('2d')!
    const small = this.small.getContext('2d')!
    small.drawImage(frame, 0, 0, this.small.width, this.small.height)
    ctx.filter = 'blur(6px)'
    ctx.drawImage(this.small, 0, 0, w, h)
    ctx.filter = 'none'

    const alpha = mask.getAsFloat32Array()
    const pixels = this.maskPixels!
    for (let i = 0; i < alpha.length; i++) pixels.data[i * 4 + 3] = Math.round(alpha[i]! * 255)
    this.maskCanvas.getContext('2d')!.putImageData(pixels, 0, 0)
    const person = this.person.getContext('2d')!
    person.globalCompositeOperation = 'copy'
    person.drawImage(frame, 0, 0, w, h)
    person.globalCompositeOperation = 'destination-in'
    person.drawImage(this.maskCanvas, 0, 0, w, h)
    ctx.drawImage(this.person, 0, 0)
    return new VideoFrame(this.canvas, { timestamp: frame.timestamp })
  }

  private size(w: number, h: number, mw: number, mh: number): void {
    if (this.canvas.width !== w || this.canvas.height !== h) {
      for (const c of [this.canvas, this.person]) {
        c.width = w
        c.height = h
      }
      this.small.width = Math.max(1, Math.round(w / SHRINK))
      this.small.height = Math.max(1, Math.round(h / SHRINK))
    }
    if (this.maskCanvas.width !== mw || this.maskCanvas.height !== mh || !this.maskPixels) {
      this.maskCanvas.width = mw
      this.maskCanvas.height = mh
      this.maskPixels = new ImageData(mw, mh)
    }
  }
}
