import solution from '@mediapipe/selfie_segmentation/selfie_segmentation.js?url'
import graph from '@mediapipe/selfie_segmentation/selfie_segmentation.binarypb?url'
import model from '@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite?url'
import wasmLoader from '@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.js?url'
import wasmBinary from '@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.wasm?url'
import type { FromWorker, ToWorker } from './messages'

/** Chromium's "breakout box": a track as a stream of VideoFrames, and back. Not in TypeScript's DOM types. */
declare const MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame>
}
declare const MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> }

/** Under this many frames a second the blur turns itself off: the others would see a slide show. */
export const BLUR_MIN_FPS = 15
const START_TIMEOUT_MS = 20_000

export function blurSupported(): boolean {
  return (
    typeof MediaStreamTrackProcessor === 'function' &&
    typeof MediaStreamTrackGenerator === 'function' &&
    typeof OffscreenCanvas === 'function'
  )
}

/**
 * The camera with a blurred background, worked out in a worker (background-worker.ts). `output`
 * is the track to send and to preview; `input` stays the caller's. `onStopped` is called (with
 * what to tell the person) if this computer cannot keep `BLUR_MIN_FPS` or the worker fails; the
 * caller then goes back to the plain camera.
 */
export class BackgroundBlur {
  /** frames out per second, as the worker last said (tests and the bench read it) */
  fps = 0

  private constructor(
    readonly input: MediaStreamTrack,
    readonly output: MediaStreamTrack,
    private readonly worker: Worker
  ) {}

  static async create(input: MediaStreamTrack, onStopped: (why: string) => void): Promise<BackgroundBlur> {
    if (!blurSupported()) throw new Error('this browser cannot process camera frames')
    const processor = new MediaStreamTrackProcessor({ track: input, maxBufferSize: 1 })
    const generator = new MediaStreamTrackGenerator({ kind: 'video' })
    // Classic, not a module worker: the solution loads its wasm glue with importScripts.
    const worker = new Worker(new URL('./background-worker.ts', import.meta.url))
    const url = (u: string) => new URL(u, location.href).href
    const start: ToWorker = {
      t: 'start',
      readable: processor.readable,
      writable: generator.writable,
      solution: url(solution),
      files: {
        'selfie_segmentation.binarypb': url(graph),
        'selfie_segmentation_landscape.tflite': url(model),
        'selfie_segmentation_solution_simd_wasm_bin.js': url(wasmLoader),
        'selfie_segmentation_solution_simd_wasm_bin.wasm': url(wasmBinary)
      },
      minFps: BLUR_MIN_FPS
    }
    worker.postMessage(start, [processor.readable, generator.writable])
    let blur: BackgroundBlur | null = null
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the blur did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
        worker.onerror = (e) => reject(new Error(e.message || 'the blur worker failed to load'))
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          const m = e.data
          if (m.t === 'ready') {
            clearTimeout(timer)
            blur = new BackgroundBlur(input, generator, worker)
            resolve()
          } else if (m.t === 'failed') {
            clearTimeout(timer)
            reject(new Error(m.reason))
          }
        }
      })
    } catch (err) {
      worker.terminate()
      generator.stop()
      throw err
    }
    const made = blur as unknown as BackgroundBlur
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data
      if (m.t === 'rate') made.fps = m.fpsOut
      if (m.t === 'too-slow') onStopped(`Background blur turned itself off: this computer managed only ${m.fps} frames a second with it.`)
      if (m.t === 'failed') {
        console.warn(`background blur: ${m.reason}`)
        onStopped('Background blur stopped working: your camera is sent as it is.')
      }
    }
    return made
  }

  /** Stops the worker and the output track; the input (the camera) is the caller's. */
  close(): void {
    this.worker.terminate()
    this.output.stop()
  }
}
