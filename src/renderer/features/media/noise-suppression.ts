import type { RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor'
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url'
import wasmUrl from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?url'
import simdUrl from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?url'

/** RNNoise works on 48 kHz frames of 480 samples. */
const SAMPLE_RATE = 48_000

/**
 * The library, loaded when first used: it defines its nodes as subclasses of AudioWorkletNode as
 * it loads, which fails where there is none, and most calls never need it.
 */
const library = () => import('@sapphi-red/web-noise-suppressor')

/** The model, fetched once per page from our own files (works offline; no CDN). */
let binary: Promise<ArrayBuffer> | null = null
function rnnoiseBinary(): Promise<ArrayBuffer> {
  binary ??= library()
    .then(({ loadRnnoise }) => loadRnnoise({ url: wasmUrl, simdUrl }))
    .catch((err: unknown) => {
      binary = null
      throw err
    })
  return binary
}

/**
 * The microphone through RNNoise (a recurrent network trained on speech and noise) in an
 * AudioWorklet, off the main thread: keyboard clatter, fans and hum are taken out before the
 * sound leaves us. It sits on top of the browser's own noise suppression and echo cancellation
 * (the capture constraints keep those on): the browser's suppression is tuned for steady noise,
 * RNNoise also removes noise that comes and goes. `output` is the track to send; `input` stays ours.
 */
export class NoiseSuppressor {
  private constructor(
    readonly input: MediaStreamTrack,
    readonly output: MediaStreamTrack,
    private readonly context: AudioContext,
    private readonly node: RnnoiseWorkletNode
  ) {}

  static async create(input: MediaStreamTrack): Promise<NoiseSuppressor> {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' })
    try {
      const [wasmBinary, { RnnoiseWorkletNode }] = await Promise.all([
        rnnoiseBinary(),
        library(),
        context.audioWorklet.addModule(workletUrl)
      ])
      const node = new RnnoiseWorkletNode(context, { maxChannels: 1, wasmBinary })
      const source = context.createMediaStreamSource(new MediaStream([input]))
      const destination = context.createMediaStreamDestination()
      destination.channelCount = 1
      source.connect(node).connect(destination)
      const output = destination.stream.getAudioTracks()[0]
      if (!output) throw new Error('the noise suppressor made no audio track')
      resumeWhenAllowed(context)
      return new NoiseSuppressor(input, output, context, node)
    } catch (err) {
      void context.close().catch(() => undefined)
      throw err
    }
  }

  /** Stops the processing and the output track; the input (the microphone) is the caller's. */
  close(): void {
    this.output.stop()
    this.node.destroy()
    void this.context.close().catch(() => undefined)
  }
}

/**
 * An AudioContext made before the user touched the page starts suspended (browser autoplay
 * rules) and would send silence: resume it at once if allowed, else at the first click or key.
 */
function resumeWhenAllowed(context: AudioContext): void {
  if (context.state !== 'suspended') return
  void context.resume().catch(() => undefined)
  const resume = () => {
    if (context.state === 'suspended') void context.resume().catch(() => undefined)
    window.removeEventListener('pointerdown', resume, true)
    window.removeEventListener('keydown', resume, true)
  }
  window.addEventListener('pointerdown', resume, true)
  window.addEventListener('keydown', resume, true)
}
