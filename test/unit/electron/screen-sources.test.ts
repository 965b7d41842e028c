import { describe, expect, it } from 'vitest'
import { ScreenSource } from '../../../src/shared/contract/index'
import { cleanSourceName, thumbnailDataUrl, toPickSources, type ThumbnailLike } from '../../../src/main/electron/screen-sources'

// Stand-in for Electron's NativeImage: `bytes` is the JPEG size at full size, a resize quarters it.
function image(bytes: number): ThumbnailLike {
  return { isEmpty: () => bytes === 0, toJPEG: () => new Uint8Array(bytes), resize: () => image(Math.floor(bytes / 4)) }
}

describe('toPickSources', () => {
  it('lists screens first, then windows by name, leaves out our own windows, and fits the contract', () => {
    const result = toPickSources([
      { id: 'window:7:0', name: 'Zeta editor', thumbnail: image(3000) },
      { id: 'window:3:1', name: 'Digital You Meet', thumbnail: image(3000) },
      { id: 'screen:1:0', name: 'Screen 2', thumbnail: image(3000) },
      { id: 'window:9:0', name: 'Alpha browser', thumbnail: image(0) },
      { id: 'screen:0:0', name: 'Screen 1', thumbnail: image(3000) }
    ])
    expect(result.map((s) => [s.id, s.kind])).toEqual([
      ['screen:1:0', 'screen'],
      ['screen:0:0', 'screen'],
      ['window:9:0', 'window'],
      ['window:7:0', 'window']
    ])
    expect(result[2]?.thumbnail).toBeNull()
    for (const s of result) expect(ScreenSource.safeParse(s).success).toBe(true)
  })

  it('caps the number of sources and skips ids the contract would refuse', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ id: `window:${i}:0`, name: `w${i}`, thumbnail: null }))
    expect(
      toPickSources([...many, { id: '', name: 'x', thumbnail: null }, { id: 'w'.repeat(300), name: 'x', thumbnail: null }])
    ).toHaveLength(40)
  })
})

describe('thumbnailDataUrl', () => {
  it.each([
    ['a normal thumbnail stays', 20_000, 'full'],
    ['a huge one is shrunk', 100_000, 'shrunk'],
    ['one too big even shrunk is dropped', 1_000_000, null],
    ['an empty picture is null', 0, null]
  ])('%s', (_what, bytes, expected) => {
    const url = thumbnailDataUrl(image(bytes))
    if (expected === null) expect(url).toBeNull()
    else {
      expect(url).toMatch(/^data:image\/jpeg;base64,/)
      const size = Buffer.from(url!.split(',')[1]!, 'base64').length
      expect(size).toBe(expected === 'full' ? bytes : Math.floor(bytes / 4))
    }
  })
})

describe('cleanSourceName', () => {
  it.each([
    ['Slides — Q3 review', 'window', 'Slides — Q3 review'],
    ['evil\u202etxt.exe', 'window', 'evil txt.exe'],
    ['line\nbreak\tand\u0000nul', 'window', 'line break and nul'],
    ['   ', 'window', 'Untitled window'],
    ['', 'screen', 'Screen'],
    ['x'.repeat(500), 'window', 'x'.repeat(200)]
  ] as const)('%j -> %j', (name, kind, expected) => {
    expect(cleanSourceName(name, kind)).toBe(expected)
  })
})
