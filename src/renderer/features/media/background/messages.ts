import type { Background } from '../../../../shared/contract/index'

/** What the worker puts behind the person: never 'none' (then there is no worker). */
export type Look = Exclude<Background, 'none'>

/** Between the page and the background worker. */
export type ToWorker =
  | {
      t: 'start'
      readable: ReadableStream<VideoFrame>
      writable: WritableStream<VideoFrame>
      /** the segmentation solution's script, and where each of its files is (by file name) */
      solution: string
      files: Record<string, string>
      look: Look
      /** below this many frames a second, sustained, the worker reports `too-slow` */
      minFps: number
    }
  /** from the next frame on, put this behind the person */
  | { t: 'look'; look: Look }

export type FromWorker =
  | { t: 'ready' }
  | { t: 'failed'; reason: string }
  /** the work per frame leaves room for fewer than `minFps` frames a second, for several seconds in a row */
  | { t: 'too-slow'; fps: number }
  /** frames per second in and out, once a second */
  | { t: 'rate'; fpsIn: number; fpsOut: number; msPerFrame: number }
