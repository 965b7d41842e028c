/**
 * Where each participant goes on the recording's canvas. Pure (no DOM), so it is unit-tested.
 * - nobody sharing a screen: an even grid of 16:9 tiles, as large as the canvas allows, the
 *   last row centred;
 * - a screen share: it takes the stage on the left, people stack in a strip on the right.
 */
export interface LayoutInput {
  id: string
  isScreen?: boolean
}

export interface Tile {
  id: string
  x: number
  y: number
  w: number
  h: number
  /** screen shares are drawn whole (contain); faces fill their tile (cover) */
  fit: 'contain' | 'cover'
}

const ASPECT = 16 / 9

export function layoutTiles(sources: readonly LayoutInput[], width: number, height: number, gap = 8): Tile[] {
  const screen = sources.find((s) => s.isScreen)
  if (!screen) return grid(sources, { x: 0, y: 0, w: width, h: height }, gap)
  const people = sources.filter((s) => s !== screen)
  if (people.length === 0) return [{ id: screen.id, x: gap, y: gap, w: width - 2 * gap, h: height - 2 * gap, fit: 'contain' }]
  const stripW = Math.round(width * 0.22)
  const stage = { id: screen.id, x: gap, y: gap, w: width - stripW - 3 * gap, h: height - 2 * gap, fit: 'contain' as const }
  // The strip: one column of tiles, as tall as fits (16:9 at most), centred vertically.
  const colW = stripW
  const tileH = Math.min(colW / ASPECT, (height - gap * (people.length + 1)) / people.length)
  const tileW = Math.min(colW, tileH * ASPECT)
  const total = people.length * tileH + (people.length - 1) * gap
  const top = (height - total) / 2
  const left = width - gap - colW + (colW - tileW) / 2
  return [stage, ...people.map((p, i) => ({ id: p.id, x: left, y: top + i * (tileH + gap), w: tileW, h: tileH, fit: 'cover' as const }))]
}

function grid(sources: readonly LayoutInput[], area: { x: number; y: number; w: number; h: number }, gap: number): Tile[] {
  const n = sources.length
  if (n === 0) return []
  // Try every column count; keep the one that gives the biggest 16:9 tiles.
  let best = { cols: 1, rows: n, w: 0, h: 0 }
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols)
    const cellW = (area.w - gap * (cols + 1)) / cols
    const cellH = (area.h - gap * (rows + 1)) / rows
    const w = Math.min(cellW, cellH * ASPECT)
    if (w > best.w) best = { cols, rows, w, h: w / ASPECT }
  }
  const { cols, rows, w, h } = best
  const gridH = rows * h + (rows - 1) * gap
  const top = area.y + (area.h - gridH) / 2
  return sources.map((s, i) => {
    const row = Math.floor(i / cols)
    const inRow = row === rows - 1 ? n - row * cols : cols
    const rowW = inRow * w + (inRow - 1) * gap
    const left = area.x + (area.w - rowW) / 2
    const col = i - row * cols
    return { id: s.id, x: left + col * (w + gap), y: top + row * (h + gap), w, h, fit: 'cover' as const }
  })
}

/** Up to two initials for a tile without video ("alice.3bot" → "A", "Bob Stone" → "BS"). */
export function initials(name: string): string {
  const words = name
    .replace(/\.3bot$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean)
  return (
    words
      .slice(0, 2)
      .map((w) => [...w][0]?.toUpperCase() ?? '')
      .join('') || '?'
  )
}
