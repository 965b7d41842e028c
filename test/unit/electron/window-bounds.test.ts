import { describe, expect, it } from 'vitest'
import { parseWindowState, placeWindow, windowStateToSave, type Rect, type WindowState } from '../../../src/main/electron/window-bounds'

const defaults = { width: 1280, height: 800, minWidth: 720, minHeight: 480 }
const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 }
const monitorRight: Rect = { x: 1440, y: 0, width: 2560, height: 1410 }
const monitorAbove: Rect = { x: 0, y: -1080, width: 1920, height: 1050 }
const saved = (s: Partial<WindowState>): WindowState => ({
  x: 100,
  y: 80,
  width: 1000,
  height: 700,
  maximized: false,
  fullScreen: false,
  ...s
})

describe('parseWindowState', () => {
  it.each<[string, string | null, WindowState | null]>([
    ['what we wrote', JSON.stringify(saved({})), saved({})],
    [
      'flags default to false',
      '{"x":1,"y":2,"width":800,"height":600}',
      { x: 1, y: 2, width: 800, height: 600, maximized: false, fullScreen: false }
    ],
    ['no file', null, null],
    ['not JSON', '{oops', null],
    ['an array', '[1,2]', null],
    ['fractional numbers', '{"x":1.5,"y":2,"width":800,"height":600}', null],
    ['a zero width', '{"x":1,"y":2,"width":0,"height":600}', null],
    ['absurd coordinates', '{"x":1e12,"y":2,"width":800,"height":600}', null],
    ['strings for numbers', '{"x":"1","y":2,"width":800,"height":600}', null],
    ['an oversize file', JSON.stringify({ ...saved({}), pad: 'x'.repeat(5000) }), null]
  ])('%s', (_what, text, expected) => {
    expect(parseWindowState(text)).toEqual(expected)
  })
})

describe('placeWindow', () => {
  it.each<[string, WindowState | null, Rect[], { x?: number; y?: number; width: number; height: number }]>([
    ['first start: default size, OS centres it', null, [laptop], { width: 1280, height: 800 }],
    [
      'first start on a small screen: no bigger than the screen',
      null,
      [{ x: 0, y: 0, width: 1024, height: 600 }],
      { width: 1024, height: 600 }
    ],
    ['saved and visible: kept as is', saved({}), [laptop], { x: 100, y: 80, width: 1000, height: 700 }],
    [
      'on the second monitor: kept there',
      saved({ x: 2000, y: 100 }),
      [laptop, monitorRight],
      { x: 2000, y: 100, width: 1000, height: 700 }
    ],
    ['second monitor unplugged: centred on the primary', saved({ x: 2000, y: 100 }), [laptop], { x: 220, y: 88, width: 1000, height: 700 }],
    ['monitor above, negative y: kept', saved({ x: 50, y: -900 }), [laptop, monitorAbove], { x: 50, y: -900, width: 1000, height: 700 }],
    ['hanging off the right edge: pulled in', saved({ x: 1000 }), [laptop], { x: 440, y: 80, width: 1000, height: 700 }],
    ['title bar above the screen: pulled down', saved({ y: -300 }), [laptop], { x: 100, y: 0, width: 1000, height: 700 }],
    [
      'bigger than the screen: shrunk to it',
      saved({ x: 0, y: 0, width: 3000, height: 2000 }),
      [laptop],
      { x: 0, y: 0, width: 1440, height: 875 }
    ],
    [
      'tiny from a hand edit: raised to the minimum',
      saved({ width: 10, height: 10 }),
      [laptop],
      { x: 100, y: 80, width: 720, height: 480 }
    ],
    [
      'mostly on the big monitor: follows it',
      saved({ x: 1300, y: 10, width: 1200 }),
      [laptop, monitorRight],
      { x: 1440, y: 10, width: 1200, height: 700 }
    ]
  ])('%s', (_what, state, areas, expected) => {
    expect(placeWindow(state, areas, defaults).bounds).toEqual(expected)
  })

  it('keeps the maximized and full-screen flags', () => {
    expect(placeWindow(saved({ maximized: true }), [laptop], defaults)).toMatchObject({ maximized: true, fullScreen: false })
  })

  it('every placement lies inside a work area', () => {
    const areas = [laptop, monitorRight]
    for (const x of [-5000, -100, 0, 700, 1439, 3000, 9000]) {
      for (const y of [-5000, -10, 0, 500, 5000]) {
        const { bounds } = placeWindow(saved({ x, y }), areas, defaults)
        const inside = areas.some(
          (a) =>
            bounds.x! >= a.x && bounds.y! >= a.y && bounds.x! + bounds.width <= a.x + a.width && bounds.y! + bounds.height <= a.y + a.height
        )
        expect(inside, `x=${x} y=${y} -> ${JSON.stringify(bounds)}`).toBe(true)
      }
    }
  })
})

describe('windowStateToSave', () => {
  it('rounds and round-trips through parseWindowState', () => {
    const state = windowStateToSave({ x: 10.4, y: 20.6, width: 900.2, height: 600 }, { maximized: true, fullScreen: false })
    expect(state).toEqual({ x: 10, y: 21, width: 900, height: 600, maximized: true, fullScreen: false })
    expect(parseWindowState(JSON.stringify(state))).toEqual(state)
  })
})
