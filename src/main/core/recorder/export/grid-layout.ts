/** A rectangle of the exported picture, in pixels (all even: what yuv420p needs). */
export interface Tile {
  x: number
  y: number
  w: number
  h: number
}

export const CANVAS = { w: 1280, h: 720 }
/** Share of the width a shared screen takes when there is one; the people get the rest. */
const STAGE_SHARE = 0.75
/** What most cameras and screens send: the grid is chosen to show this shape biggest. */
const CONTENT_ASPECT = 16 / 9

const even = (n: number) => Math.floor(n / 2) * 2

/**
 * `count` tiles in the area, in rows and columns chosen so that 16:9 pictures come out
 * biggest (two people side by side, three or four in a 2x2 grid, ...). A last row that is not
 * full is centred.
 */
export function gridIn(area: Tile, count: number): Tile[] {
  if (count <= 0) return []
  let best = { cols: 1, size: -1 }
  for (let cols = count; cols >= 1; cols--) {
    const rows = Math.ceil(count / cols)
    const w = area.w / cols
    const h = area.h / rows
    const shown = Math.min(w, h * CONTENT_ASPECT) * Math.min(h, w / CONTENT_ASPECT)
    if (shown > best.size + 1) best = { cols, size: shown }
  }
  const cols = best.cols
  const rows = Math.ceil(count / cols)
  const w = Math.max(2, even(area.w / cols))
  const h = Math.max(2, even(area.h / rows))
  const tiles: Tile[] = []
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / cols)
    const inRow = Math.min(cols, count - row * cols)
    const left = even(area.x + (area.w - inRow * w) / 2)
    tiles.push({ x: left + (i % cols) * w, y: even(area.y + row * h + (area.h - rows * h) / 2), w, h })
  }
  return tiles
}

/**
 * The exported picture: people in a grid; with shared screens, the screens large on the left
 * and the people in a column on the right.
 */
export function meetingLayout(people: number, screens: number): { people: Tile[]; screens: Tile[] } {
  const whole: Tile = { x: 0, y: 0, ...CANVAS }
  if (screens === 0) return { people: gridIn(whole, people), screens: [] }
  if (people === 0) return { people: [], screens: gridIn(whole, screens) }
  const stageW = even(CANVAS.w * STAGE_SHARE)
  return {
    screens: gridIn({ x: 0, y: 0, w: stageW, h: CANVAS.h }, screens),
    people: gridIn({ x: stageW, y: 0, w: CANVAS.w - stageW, h: CANVAS.h }, people)
  }
}
