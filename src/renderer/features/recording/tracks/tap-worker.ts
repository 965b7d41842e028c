import { FrameBatchBuilder } from '../../../../shared/recording-frames'
import { stampOf, type EncodedFrameLike, type StampState } from './frame-stamps'
import { MediaClock, MICROSECONDS, RTP_AUDIO, RTP_VIDEO } from './media-clock'
import type { FromTapWorker, ToTapWorker } from './tap-messages'

/**
 * The recording worker of a page. Two jobs:
 *
 * 1. Every receiver of the call, and the camera and microphone sender of every link, passes its
 *    encoded frames through here (an RTCRtpScriptTransform attached when it is created: Chromium
 *    ignores one attached to a receiver that is already running, and taking one off stops its
 *    media). While nothing records, the frames go straight through (`pipeTo`, no JS per frame).
 *    When one is recorded, a copy of every frame's bytes goes into the batch, and the frame goes
 *    on unchanged; when it no longer is, back to the plain pipe. Our own camera and microphone
 *    are recorded from what one link sends: the call encodes them anyway.
 * 2. What no link sends (we are alone, or our screen) is encoded here once (WebCodecs).
 *
 * Frames are sent to the page in batches (recording-frames.ts) every BATCH_MS, as transferred
 * buffers; the page hands them to the core.
 */

interface ScriptTransformer {
  readonly readable: ReadableStream<EncodedFrameLike>
  readonly writable: WritableStream<EncodedFrameLike>
  readonly options: { tapId: number; kind: 'video' | 'audio'; side?: 'receiver' | 'sender' }
  sendKeyFrameRequest?: () => Promise<void>
}
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToTapWorker>) => void) | null
  onrtctransform: ((event: { transformer: ScriptTransformer }) => void) | null
  postMessage(message: FromTapWorker, transfer?: Transferable[]): void
}

const BATCH_MS = 500
const BATCH_MAX_BYTES = 1024 * 1024
/** Our own camera: a key frame this often, so the file can be seeked and a damaged part heals. */
const KEY_EVERY_US = 4_000_000
/**
 * A sender's frames join a track from a key frame on, which the member on the other end asks its
 * encoder for (the page sends the request over the link). Without one by then, the page encodes
 * the track itself.
 */
const SENDER_KEY_WAIT_MS = 2_000

interface Tap {
  transformer: ScriptTransformer
  /** the pipe running now: plain (no JS per frame) or copying; one switch at a time */
  copying: boolean
  stopPipe: AbortController
  piping: Promise<unknown>
  switching: Promise<void>
  /** the track this receiver's frames are copied into, while recording */
  track: number | null
  t0: number
  /** a video track is written from a key frame on */
  waitingForKey: boolean
  /** the source of the frames copied last (see frame-stamps.ts) */
  stamps: StampState
}

const taps = new Map<number, Tap>()
const clocks = new Map<number, MediaClock>()
const encoders = new Map<string, { stop: () => Promise<unknown> }>()
const batch = new FrameBatchBuilder()
let timer: ReturnType<typeof setInterval> | null = null

const nowMs = () => performance.timeOrigin + performance.now()

scope.onrtctransform = (event) => {
  const transformer = event.transformer
  const { tapId } = transformer.options
  const tap: Tap = {
    transformer,
    copying: false,
    stopPipe: new AbortController(),
    piping: Promise.resolve(),
    switching: Promise.resolve(),
    track: null,
    t0: 0,
    waitingForKey: false,
    stamps: { ssrc: null, lastStamp: 0, wrongCodec: false }
  }
  startPipe(tap, false)
  taps.set(tapId, tap)
}

/**
 * The frames' way through: a plain pipe while nothing records them (no JS per frame), a copying
 * one while something does. A pipe stopped with these options lets both streams go unharmed and
 * writes what it has read first, so the media goes on without a gap.
 */
const KEEP_STREAMS = { preventAbort: true, preventCancel: true, preventClose: true }

function startPipe(tap: Tap, copying: boolean): void {
  const { readable, writable } = tap.transformer
  tap.copying = copying
  tap.stopPipe = new AbortController()
  const options = { ...KEEP_STREAMS, signal: tap.stopPipe.signal }
  if (!copying) {
    tap.piping = readable.pipeTo(writable, options).catch(() => undefined)
    return
  }
  // A loop, not a pipe through a stream of our own: one stream layer less for every frame.
  const reader = readable.getReader()
  const writer = writable.getWriter()
  // Letting go of the reader ends a read under way; a frame already read is still written.
  tap.stopPipe.signal.addEventListener('abort', () => reader.releaseLock(), { once: true })
  tap.piping = (async () => {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      copy(tap, value)
      await writer.write(value)
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      reader.releaseLock()
      writer.releaseLock()
    })
}

/** Switch a tap's pipe (after any switch under way). */
function switchPipe(tap: Tap, copying: boolean): Promise<void> {
  tap.switching = tap.switching.then(async () => {
    if (tap.copying === copying) return
    tap.stopPipe.abort()
    await tap.piping
    startPipe(tap, copying)
  })
  return tap.switching
}

scope.onmessage = ({ data: message }) => {
  if (message.t === 'record')
    record(message.tapId, message.track, message.t0).catch((err: unknown) =>
      scope.postMessage({ t: 'problem', message: `track ${message.track} cannot be tapped: ${String(err)}` })
    )
  else if (message.t === 'unrecord') {
    const tap = taps.get(message.tapId)
    if (tap) {
      tap.track = null
      void switchPipe(tap, false)
    }
  } else if (message.t === 'key-request')
    void taps
      .get(message.tapId)
      ?.transformer.sendKeyFrameRequest?.()
      .catch(() => undefined)
  else if (message.t === 'encode') encode(message)
  else if (message.t === 'stop-encode') {
    encoders.get(message.key)?.stop()
    encoders.delete(message.key)
  } else if (message.t === 'end') void end(message.id)
}

/** Stops copying, lets our encoders finish what they hold (their last seconds), sends the last batch. */
async function end(id: number): Promise<void> {
  for (const tap of taps.values()) {
    tap.track = null
    void switchPipe(tap, false)
  }
  const finishing = [...encoders.values()].map((e) => e.stop())
  encoders.clear()
  await Promise.race([Promise.all(finishing), new Promise((resolve) => setTimeout(resolve, 3000))])
  send()
  if (timer) clearInterval(timer)
  timer = null
  scope.postMessage({ t: 'ended', id, frames: Object.fromEntries(counts) })
  clocks.clear()
  counts.clear()
}

/** From now on, copy this receiver's or sender's frames into `track`. */
async function record(tapId: number, track: number, t0: number): Promise<void> {
  const tap = taps.get(tapId)
  if (!tap) return
  tap.track = track
  tap.t0 = t0
  tap.waitingForKey = tap.transformer.options.kind === 'video'
  tap.stamps.ssrc = null
  startBatching()
  await switchPipe(tap, true)
  if (!tap.waitingForKey) return
  if (tap.transformer.options.side === 'sender') {
    setTimeout(() => {
      if (tap.track === track && tap.waitingForKey) {
        tap.track = null
        scope.postMessage({ t: 'no-key', tapId, track })
      }
    }, SENDER_KEY_WAIT_MS)
    return
  }
  // The sender's encoder answers with a key frame, so the track starts playable at once.
  await tap.transformer.sendKeyFrameRequest?.().catch(() => undefined)
}

function copy(tap: Tap, frame: EncodedFrameLike): void {
  if (tap.track === null || frame.type === 'empty' || frame.data.byteLength === 0) return
  const video = tap.transformer.options.kind === 'video'
  const stamp = stampOf(tap.stamps, frame, video, reportProblem)
  if (stamp === null) return
  const key = !video || frame.type === 'key'
  if (tap.waitingForKey && !key) return
  tap.waitingForKey = false
  let clock = clocks.get(tap.track)
  if (!clock) clocks.set(tap.track, (clock = new MediaClock(video ? 90_000 : 48_000)))
  const t0 = tap.t0
  const timeUs = clock.place(tap.stamps.ssrc ?? 0, stamp, () => (nowMs() - t0) * 1000, video ? RTP_VIDEO : RTP_AUDIO)
  if (timeUs === null) return
  // Copied into the batch: the frame's bytes go on to the decoder.
  add(tap.track, key, timeUs, new Uint8Array(frame.data))
}

const reportProblem = (message: string) => scope.postMessage({ t: 'problem', message })

let encoderCount = 0

/** One of our own tracks, encoded here: VP8 for video, Opus for audio. */
function encode(message: Extract<ToTapWorker, { t: 'encode' }>): void {
  void encoders.get(message.key)?.stop()
  const { track, kind, t0 } = message
  const source = ++encoderCount
  let clock = clocks.get(track)
  if (!clock) clocks.set(track, (clock = new MediaClock(1e6, Number.POSITIVE_INFINITY)))
  const place = clock
  const reader = message.frames.getReader()
  let stopped = false
  let lastKeyUs = -KEY_EVERY_US
  let configured = ''
  let anchored = false
  const output = (chunk: EncodedVideoChunk | EncodedAudioChunk) => {
    const timeUs = place.place(source, chunk.timestamp, (nowMs() - t0) * 1000, MICROSECONDS)
    if (timeUs === null) return
    const data = new Uint8Array(chunk.byteLength)
    chunk.copyTo(data)
    add(track, chunk.type === 'key', timeUs, data)
  }
  const error = (err: unknown) => scope.postMessage({ t: 'problem', message: `our ${kind} could not be encoded: ${String(err)}` })
  const video = kind === 'video' ? new VideoEncoder({ output, error }) : null
  const audio = kind === 'audio' ? new AudioEncoder({ output, error }) : null
  const stop = async () => {
    stopped = true
    void reader.cancel().catch(() => undefined)
    for (const codec of [video, audio])
      if (codec && codec.state === 'configured')
        await codec
          .flush()
          .catch(() => undefined)
          .finally(() => codec.close())
  }
  encoders.set(message.key, { stop })
  startBatching()
  void (async () => {
    while (!stopped) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
      if (done || !value) break
      if (!anchored) {
        place.anchor(source, value.timestamp, (nowMs() - t0) * 1000, MICROSECONDS)
        anchored = true
      }
      try {
        if (value instanceof VideoFrame && video) {
          const size = `${value.displayWidth}x${value.displayHeight}`
          if (size !== configured) {
            video.configure({
              codec: 'vp8',
              width: value.displayWidth,
              height: value.displayHeight,
              bitrate: 1_200_000,
              latencyMode: 'realtime'
            })
            configured = size
            lastKeyUs = -KEY_EVERY_US
          }
          // Behind (a busy machine): skip this frame rather than queue up.
          if (video.encodeQueueSize <= 2) {
            const keyFrame = value.timestamp - lastKeyUs >= KEY_EVERY_US
            if (keyFrame) lastKeyUs = value.timestamp
            video.encode(value, { keyFrame })
          }
        } else if (value instanceof AudioData && audio) {
          if (!configured) {
            audio.configure({ codec: 'opus', sampleRate: value.sampleRate, numberOfChannels: value.numberOfChannels, bitrate: 64_000 })
            configured = 'opus'
          }
          audio.encode(value)
        }
      } catch (err) {
        error(err)
      } finally {
        value.close()
      }
    }
  })()
}

const counts = new Map<number, number>()

function add(track: number, key: boolean, timeUs: number, data: Uint8Array): void {
  counts.set(track, (counts.get(track) ?? 0) + 1)
  batch.add(track, key, timeUs, data)
  if (batch.byteLength >= BATCH_MAX_BYTES) send()
}

function startBatching(): void {
  timer ??= setInterval(send, BATCH_MS)
}

function send(): void {
  if (batch.byteLength === 0) return
  const bytes = batch.take()
  scope.postMessage({ t: 'batch', bytes }, [bytes.buffer])
}
