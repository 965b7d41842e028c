/** Between the page and the background worker. */
export type ToWorker = {
  t: 'start'
  readable: ReadableStream<VideoFrame>
  writable: WritableStream<VideoFrame>
  wasmLoader: string
  wasmBinary: string
  model: string
  /** below this many frames a second, sustained, the worker reports `too-slow` */
  minFps: number
}

export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; reason: string }
  /** the camera gives enough frames, but fewer than `minFps` come out, for several seconds in a row */
  | { t: 'too-slow'; fps: number }
  /** frames out per second, once a second: the page shows nothing of it; tests and the bench read it */
  | { t: 'rate'; fpsIn: number; fpsOut: number; msPerFrame: number }
