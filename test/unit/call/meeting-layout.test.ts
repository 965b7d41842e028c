import { describe, expect, it } from 'vitest'
import type { Member } from '../../../src/shared/contract/index'
import { bestGrid, buildTiles, paginate, speakerLayout, type PeerInput } from '../../../src/renderer/screens/meeting/tiles'

const member = (peerId: string, over: Partial<Member> = {}): Member => ({
  peerId,
  displayName: peerId,
  verification: 'guest',
  fingerprint: 'ff',
  route: 'direct',
  presence: 'present',
  muted: false,
  cameraOff: false,
  handRaised: false,
  isCreator: false,
  isCoHost: false,
  ...over
})
const peer = (id: string, over: Partial<PeerInput<string>> = {}): PeerInput<string> => ({
  id,
  state: 'connected',
  camera: `${id}-cam`,
  cameraLive: true,
  screen: null,
  stats: null,
  media: null,
  ...over
})

describe('meeting tiles', () => {
  it('one tile per camera, ours included, and one per shared screen, screens first', () => {
    const tiles = buildTiles({
      self: member('me'),
      members: [member('a'), member('b')],
      peers: new Map([
        ['a', peer('a', { screen: 'a-screen' })],
        ['b', peer('b')]
      ]),
      local: { preview: 'me-cam', screenPreview: null, micMuted: false, cameraOn: true },
      hands: new Set(['b']),
      speaker: 'a'
    })
    expect(tiles.map((t) => t.key)).toEqual(['a:screen', 'me:camera', 'a:camera', 'b:camera'])
    expect(tiles.find((t) => t.key === 'a:camera')?.speaking).toBe(true)
    expect(tiles.find((t) => t.key === 'b:camera')?.handRaised).toBe(true)
  })

  it("the member's own word on mute/camera (over the link) wins over the room's, which wins over nothing", () => {
    const tiles = buildTiles({
      self: member('me'),
      members: [member('a', { muted: false, cameraOff: false }), member('b', { muted: true })],
      peers: new Map([['a', peer('a', { media: { muted: true, cameraOff: true } })]]),
      local: { preview: null, screenPreview: null, micMuted: true, cameraOn: false },
      hands: new Set(),
      speaker: null
    })
    const a = tiles.find((t) => t.peerId === 'a')!
    expect([a.muted, a.cameraOff, a.showVideo]).toEqual([true, true, false])
    const b = tiles.find((t) => t.peerId === 'b')!
    expect([b.muted, b.state, b.showVideo]).toEqual([true, 'connecting', false])
    expect(tiles.find((t) => t.self)?.showVideo).toBe(false)
  })

  it('a muted person never shows the speaking ring (the level meter may still pick them)', () => {
    const input = {
      self: member('me'),
      members: [member('a')],
      peers: new Map([['a', peer('a', { media: { muted: true, cameraOff: false } })]]),
      local: { preview: 'me-cam', screenPreview: null, micMuted: true, cameraOn: true },
      hands: new Set<string>()
    }
    expect(buildTiles({ ...input, speaker: 'a' }).find((t) => t.peerId === 'a')?.speaking).toBe(false)
    expect(buildTiles({ ...input, speaker: 'me' }).find((t) => t.self)?.speaking).toBe(false)
  })

  it('grid: picks the columns that make tiles largest', () => {
    expect(bestGrid(1, 1600, 900, 0)).toMatchObject({ cols: 1, rows: 1, tileWidth: 1600 })
    expect(bestGrid(4, 1600, 900, 0)).toMatchObject({ cols: 2, rows: 2 })
    expect(bestGrid(3, 1600, 400, 0).cols).toBe(3)
    expect(bestGrid(9, 1600, 900).cols).toBe(3)
  })

  it('pages of nine, clamped', () => {
    const items = Array.from({ length: 20 }, (_, i) => i)
    expect(paginate(items, 0)).toMatchObject({ pageCount: 3, items: [0, 1, 2, 3, 4, 5, 6, 7, 8] })
    expect(paginate(items, 2).items).toEqual([18, 19])
    expect(paginate(items, 7).page).toBe(2)
  })

  it('speaker view: pinned, else screen, else speaker, else the first other person', () => {
    const t = (key: string, role: 'camera' | 'screen', self = false) => ({ key, role, self, peerId: key.split(':')[0]! })
    const tiles = [t('me:camera', 'camera', true), t('a:camera', 'camera'), t('b:camera', 'camera')]
    expect(speakerLayout(tiles, null, null).main?.key).toBe('a:camera')
    expect(speakerLayout(tiles, null, 'b').main?.key).toBe('b:camera')
    expect(speakerLayout([t('a:screen', 'screen'), ...tiles], null, 'b').main?.key).toBe('a:screen')
    expect(speakerLayout(tiles, 'me:camera', 'b').main?.key).toBe('me:camera')
    expect(speakerLayout(tiles, null, 'b').strip).toHaveLength(2)
    // Our own screen is only large when nobody else shares: we know what it shows.
    expect(speakerLayout([t('me:screen', 'screen', true), t('a:screen', 'screen'), ...tiles], null, 'b').main?.key).toBe('a:screen')
    expect(speakerLayout([t('me:screen', 'screen', true), ...tiles], null, 'b').main?.key).toBe('me:screen')
  })
})
