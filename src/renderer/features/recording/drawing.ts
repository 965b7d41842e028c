import type { Tile } from './layout'

/** One source as the drawing sees it: its tile's name and video. */
export interface DrawingSource {
  id: string
  name: string
  isScreen: boolean
  video: MediaStreamTrack | null
}

/** What draws the recording's canvas: in a worker where the browser allows, else on the page. */
export interface Drawing {
  setScene(tiles: Tile[], sources: readonly DrawingSource[]): void
  /** Draw a frame now (the last one before Stop). */
  drawNow(): Promise<void>
  readonly framesDrawn: number
  readonly drawCostMs: number
  dispose(): void
}
