import type { Tile } from './layout'

/** What the page tells the compositor's worker. */
export type ToWorker =
  | { t: 'init'; canvas: OffscreenCanvas; fps: number }
  /** the tiles and who is on them; sources not listed are dropped */
  | { t: 'scene'; tiles: Tile[]; sources: Array<{ id: string; name: string; isScreen: boolean }> }
  /** the frames of a source's video (null: no video, draw initials) */
  | { t: 'video'; id: string; readable: ReadableStream<VideoFrame> | null }
  | { t: 'speaker'; id: string | null }
  /** draw one frame now and answer 'drew-now' (the last frame before Stop) */
  | { t: 'draw-now' }
  | { t: 'stop' }

/** What the worker tells the page. */
export type FromWorker = { t: 'drawn'; frames: number; costMs: number } | { t: 'drew-now' }
