import { describe, expect, it } from 'vitest'
import { initials, layoutTiles, type Tile } from '../../../src/renderer/features/recording/layout'

const W = 1280
const H = 720
const people = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}` }))
const inside = (t: Tile) => t.x >= 0 && t.y >= 0 && t.x + t.w <= W + 0.01 && t.y + t.h <= H + 0.01
const overlap = (a: Tile, b: Tile) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('recording layout', () => {
  it('one person fills the frame; tiles never overlap or leave the canvas, for 1 to 12 people', () => {
    const [one] = layoutTiles(people(1), W, H)
    expect(one?.w).toBeGreaterThan(1200)
    for (let n = 1; n <= 12; n++) {
      const tiles = layoutTiles(people(n), W, H)
      expect(tiles).toHaveLength(n)
      for (const t of tiles) expect(inside(t)).toBe(true)
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlap(tiles[i] as Tile, tiles[j] as Tile)).toBe(false)
      for (const t of tiles) expect(t.w / t.h).toBeCloseTo(16 / 9, 3)
    }
  })

  it('two people side by side, four in a 2x2 grid, three with the last row centred', () => {
    const two = layoutTiles(people(2), W, H)
    expect(two[0]?.y).toBeCloseTo(two[1]?.y ?? -1)
    const four = layoutTiles(people(4), W, H)
    expect(new Set(four.map((t) => Math.round(t.y))).size).toBe(2)
    const three = layoutTiles(people(3), W, H)
    const last = three[2] as Tile
    expect(last.x + last.w / 2).toBeCloseTo(W / 2, 0)
  })

  it('a screen share takes the stage (drawn whole), the people a strip on the right', () => {
    const tiles = layoutTiles([{ id: 'a' }, { id: 'screen', isScreen: true }, { id: 'b' }], W, H)
    const stage = tiles.find((t) => t.id === 'screen') as Tile
    expect(stage.fit).toBe('contain')
    expect(stage.w * stage.h).toBeGreaterThan(0.6 * W * H)
    for (const t of tiles.filter((t) => t.id !== 'screen')) {
      expect(t.x).toBeGreaterThan(stage.x + stage.w)
      expect(inside(t)).toBe(true)
    }
  })

  it('initials for tiles without video', () => {
    expect(initials('alice.3bot')).toBe('A')
    expect(initials('Bob Stone')).toBe('BS')
    expect(initials('  ')).toBe('?')
  })
})
