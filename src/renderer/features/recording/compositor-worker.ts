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

async function pump(id: string, source: Source, readable: ReadableStream<VideoFrame>): Promise<void> {
  const reader = readable.getReader()
  source.reader = reader
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      if (sources.get(id) !== source) {
        value.close()
        break
      }
      source.latest?.close()
      source.latest = value
    }
  } catch {
    // the track ended or the source was dropped
  }
}

function drop(id: string): void {
  const s = sources.get(id)
  if (!s) return
  sources.delete(id)
  s.latest?.close()
  void s.reader?.cancel().catch(() => undefined)
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
      void m.readable?.cancel().catch(() => undefined)
      return
    }
    void s.reader?.cancel().catch(() => undefined)
    s.latest?.close()
    s.latest = null
    if (m.readable) void pump(m.id, s, m.readable)
  } else if (m.t === 'speaker') {
    speaker = m.id
  } else if (m.t === 'draw-now') {
    budget.drawNow(draw)
    scope.postMessage({ t: 'drew-now' })
  } else if (m.t === 'stop') {
    if (timer) clearInterval(timer)
    for (const id of [...sources.keys()]) drop(id)
    scope.close()
  }
}
