import solution from '@mediapipe/selfie_segmentation/selfie_segmentation.js?url'
import model from '@mediapipe/selfie_segmentation/selfie_segmentation_landscape.tflite?url'
import wasmLoader from '@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.js?url'
import wasmBinary from '@mediapipe/selfie_segmentation/selfie_segmentation_solution_simd_wasm_bin.wasm?url'
import type { FromWorker, Look, ToWorker } from './messages'

/** Chromium's "breakout box": a track as a stream of VideoFrames, and back. Not in TypeScript's DOM types. */
declare const MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame>
}
declare const MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> }

/** Under this many frames a second the background effect turns itself off: the others would see a slide show. */
export const BACKGROUND_MIN_FPS = 15
const START_TIMEOUT_MS = 20_000

/**
 * The floor, unless `dym.background.minFps` is set in this page's storage: tests and the bench
 * set 0 to see the effect at any speed (a machine without a GPU draws it slowly), or a high
 * number to see it give up.
 */
function minFps(): number {
  const set = localStorage.getItem('dym.background.minFps')
  const n = set === null ? NaN : Number(set)
  return Number.isFinite(n) && n >= 0 ? n : BACKGROUND_MIN_FPS
}

export function backgroundEffectSupported(): boolean {
  return (
    typeof MediaStreamTrackProcessor === 'function' &&
    typeof MediaStreamTrackGenerator === 'function' &&
    typeof OffscreenCanvas === 'function'
  )
}

/**
 * The camera with its background blurred or replaced, worked out in a worker
 * (background-worker.ts). `output` is the track to send and to preview; `input` stays the
 * caller's. `onStopped` is called (with what to tell the person) if this computer cannot keep
 * `BACKGROUND_MIN_FPS` or the worker fails; the caller then goes back to the plain camera.
 */
export class BackgroundEffect {
  /** frames out per second, as the worker last said (tests and the bench read it) */
  fps = 0

  private constructor(
    readonly input: MediaStreamTrack,
    readonly output: MediaStreamTrack,
    private readonly worker: Worker,
    private current: Look
  ) {}

  get look(): Look {
    return this.current
  }

  /** From the next frame on, put `look` behind the person (the same worker, nothing reloads). */
  setLook(look: Look): void {
    this.current = look
    this.worker.postMessage({ t: 'look', look } satisfies ToWorker)
  }

  static async create(input: MediaStreamTrack, look: Look, onStopped: (why: string) => void): Promise<BackgroundEffect> {
    if (!backgroundEffectSupported()) throw new Error('this browser cannot process camera frames')
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
        'selfie_segmentation_landscape.tflite': url(model),
        'selfie_segmentation_solution_simd_wasm_bin.js': url(wasmLoader),
        'selfie_segmentation_solution_simd_wasm_bin.wasm': url(wasmBinary)
      },
      look,
      minFps: minFps()
    }
    worker.postMessage(start, [processor.readable, generator.writable])
    let made: BackgroundEffect | null = null
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the background did not start within ${START_TIMEOUT_MS / 1000} s`)),
          START_TIMEOUT_MS
        )
        worker.onerror = (e) => reject(new Error(e.message || 'the background worker failed to load'))
        worker.onmessage = (e: MessageEvent<FromWorker>) => {
          const m = e.data
          if (m.t === 'ready') {
            clearTimeout(timer)
            made = new BackgroundEffect(input, generator, worker, look)
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
    const effect = made as unknown as BackgroundEffect
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data
      if (m.t === 'rate') effect.fps = m.fpsOut
      if (m.t === 'too-slow') onStopped(`Your background turned itself off: this computer managed only ${m.fps} frames a second with it.`)
      if (m.t === 'failed') {
        console.warn(`background effect: ${m.reason}`)
        onStopped('Your background stopped working: your camera is sent as it is.')
      }
    }
    return effect
  }

  /** Stops the worker and the output track; the input (the camera) is the caller's. */
  close(): void {
    this.worker.terminate()
    this.output.stop()
  }
}
