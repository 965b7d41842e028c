import { drawScene, type Context2D } from './draw-tile'
import { FrameBudget } from './frame-budget'
import type { Tile } from './layout'
import type { FromWorker, ToWorker } from './worker-messages'

/**
 * The recording's drawing, in a worker: the page's canvas was handed over with
 * transferControlToOffscreen, so what is drawn here shows on the page (the preview) and feeds
 * its captureStream. Each video arrives as a stream of VideoFrames (MediaStreamTrackProcessor)
 * and only the newest is kept. Drawing a video frame costs tens of ms on a busy machine without
 * a GPU; on the page's main thread that froze the call UI for up to 1.6 s while a third person
 * joined a recorded call, and late Stop clicks made files longer than asked for.
 */
/** The bits of the worker's global scope used here (the DOM lib types `self` as a window). */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null
  postMessage(message: FromWorker): void
  close(): void
}

interface Source {
  name: string
  isScreen: boolean
  latest: VideoFrame | null
  reader: ReadableStreamDefaultReader<VideoFrame> | null
}

let g: Context2D | null = null
let size = { width: 1280, height: 720 }
let tiles: Tile[] = []
let speaker: string | null = null
const sources = new Map<string, Source>()
let timer: ReturnType<typeof setInterval> | null = null
const budget = new FrameBudget()
let drawn = 0
/** Every stream still being read: the worker closes only once they have ended (or a while has passed). */
const pumps = new Set<Promise<void>>()
/** How long a stop waits for the streams to end before it gives up on them. */
const STOP_DRAIN_MS = 2_000

function draw(): void {
  if (!g) return
  drawn++
  drawScene(g, size, tiles, (tile) => {
    const s = sources.get(tile.id)
    if (!s) return null
    const f = s.latest
    return {
      name: s.name,
      frame: f ? { image: f, width: f.displayWidth, height: f.displayHeight } : null,
      speaking: speaker === tile.id,
      isScreen: s.isScreen,
      scale: size.height / 720
    }
  })
  // Drawing only records commands; the pixels are made when the frame is flushed. Reading one
  // pixel flushes now, so the cost measured (and the frame rate budget) includes that work.
  g.getImageData(0, 0, 1, 1)
  scope.postMessage({ t: 'drawn', frames: drawn, costMs: budget.averageCostMs })
}

/**
 * Reads a video until its stream ends, closing every frame it does not keep. A stream is never
 * cancelled while the page still sends: frames already on their way into this worker would then
 * be dropped unclosed (Chromium warns, and they hold decoder memory until collected). The page
 * ends a stream by stopping its track, which it does whenever a video is replaced or dropped.
 */
function pump(id: string, source: Source, readable: ReadableStream<VideoFrame>): void {
  const reader = readable.getReader()
  source.reader = reader
  const reading = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        if (sources.get(id) !== source || source.reader !== reader) {
          value.close()
          continue
        }
        source.latest?.close()
        source.latest = value
      }
    } catch {
      // the track ended
    }
  })()
  pumps.add(reading)
  void reading.finally(() => pumps.delete(reading))
}

function drop(id: string): void {
  const s = sources.get(id)
  if (!s) return
  sources.delete(id)
  s.latest?.close()
  s.latest = null
}

/** Stop drawing, let every stream end (closing what is still on its way), then close the worker. */
async function stop(): Promise<void> {
  if (timer) clearInterval(timer)
  const readers = [...sources.values()].flatMap((s) => (s.reader ? [s.reader] : []))
  for (const id of [...sources.keys()]) drop(id)
  let waited: ReturnType<typeof setTimeout> | undefined
  await Promise.race([Promise.allSettled([...pumps]), new Promise((resolve) => (waited = setTimeout(resolve, STOP_DRAIN_MS)))])
  clearTimeout(waited)
  // A stream that did not end in time is cancelled after all: better a warning than a worker left open.
  for (const reader of readers) void reader.cancel().catch(() => undefined)
  scope.close()
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data
  if (m.t === 'init') {
    g = m.canvas.getContext('2d', { alpha: false })
    size = { width: m.canvas.width, height: m.canvas.height }
    budget.drawNow(draw)
    timer = setInterval(() => budget.tick(draw), Math.max(5, Math.round(1000 / m.fps)))
  } else if (m.t === 'scene') {
    tiles = m.tiles
    const live = new Set(m.sources.map((s) => s.id))
    for (const id of [...sources.keys()]) if (!live.has(id)) drop(id)
    for (const s of m.sources) {
      const existing = sources.get(s.id)
      if (existing) Object.assign(existing, { name: s.name, isScreen: s.isScreen })
      else sources.set(s.id, { name: s.name, isScreen: s.isScreen, latest: null, reader: null })
    }
  } else if (m.t === 'video') {
    const s = sources.get(m.id)
    if (!s) {
      // Not in the scene (any more): read it to its end through a source nobody draws, closing every frame.
      if (m.readable) pump(m.id, { name: '', isScreen: false, latest: null, reader: null }, m.readable)
      return
    }
    // The previous video's stream ends as the page stops its track; its pump closes what is left.
    s.reader = null
    s.latest?.close()
    s.latest = null
    if (m.readable) pump(m.id, s, m.readable)
  } else if (m.t === 'speaker') {
    speaker = m.id
  } else if (m.t === 'draw-now') {
    budget.drawNow(draw)
    scope.postMessage({ t: 'drew-now' })
  } else if (m.t === 'stop') {
    void stop()
  }
}
