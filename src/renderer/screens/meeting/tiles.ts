import type { Member, PersonView } from '../../../shared/contract/index'
import type { LinkState, LinkStats, MediaRoute, StreamRole } from '../../features/call/model'

/**
 * What the stage shows: one tile per camera (ours included) and one per shared screen, and how
 * they are laid out (grid pages, or a speaker view). Pure: no DOM, unit-tested.
 */
export interface TileModel<S = unknown> {
  key: string
  peerId: string
  role: StreamRole
  self: boolean
  person: PersonView
  stream: S | null
  showVideo: boolean
  muted: boolean
  cameraOff: boolean
  handRaised: boolean
  speaking: boolean
  isCreator: boolean
  state: LinkState | 'self'
  stats: LinkStats | null
  route: MediaRoute | null
}

export interface PeerInput<S> {
  id: string
  state: LinkState
  camera: S | null
  cameraLive: boolean
  screen: S | null
  stats: LinkStats | null
  media: { muted: boolean; cameraOff: boolean } | null
}

export interface TilesInput<S> {
  self: Member
  members: readonly Member[]
  peers: ReadonlyMap<string, PeerInput<S>>
  local: { preview: S | null; screenPreview: S | null; micMuted: boolean; cameraOn: boolean }
  hands: ReadonlySet<string>
  speaker: string | null
}

export const PER_PAGE = 9
export const STRIP_MAX = 6

export function tileKey(peerId: string, role: StreamRole): string {
  return `${peerId}:${role}`
}

export function buildTiles<S>(input: TilesInput<S>): TileModel<S>[] {
  const { self, members, peers, local, hands, speaker } = input
  const tiles: TileModel<S>[] = []
  const screens: TileModel<S>[] = []
  const selfTile: TileModel<S> = {
    key: tileKey(self.peerId, 'camera'),
    peerId: self.peerId,
    role: 'camera',
    self: true,
    person: self,
    stream: local.preview,
    showVideo: local.cameraOn && local.preview !== null,
    muted: local.micMuted,
    cameraOff: !local.cameraOn,
    handRaised: hands.has(self.peerId),
    // A muted person is never shown as speaking, whatever the level meter last picked.
    speaking: speaker === self.peerId && !local.micMuted,
    isCreator: self.isCreator,
    state: 'self',
    stats: null,
    route: null
  }
  if (local.screenPreview)
    screens.push({
      ...selfTile,
      key: tileKey(self.peerId, 'screen'),
      role: 'screen',
      stream: local.screenPreview,
      showVideo: true,
      speaking: false,
      handRaised: false
    })
  tiles.push(selfTile)
  for (const m of members) {
    const peer = peers.get(m.peerId)
    const muted = peer?.media?.muted ?? m.muted
    const cameraOff = peer?.media?.cameraOff ?? m.cameraOff
    const base: TileModel<S> = {
      key: tileKey(m.peerId, 'camera'),
      peerId: m.peerId,
      role: 'camera',
      self: false,
      person: m,
      stream: peer?.camera ?? null,
      // Not `cameraLive`: a stalled track keeps its last frame rather than flickering to an avatar.
      showVideo: Boolean(peer?.camera) && !cameraOff,
      muted,
      cameraOff,
      handRaised: hands.has(m.peerId) || m.handRaised,
      speaking: speaker === m.peerId && !muted,
      isCreator: m.isCreator,
      state: peer?.state ?? (m.route === 'unreachable' ? 'unreachable' : 'connecting'),
      stats: peer?.stats ?? null,
      route: peer?.stats?.route ?? null
    }
    tiles.push(base)
    if (peer?.screen)
      screens.push({
        ...base,
        key: tileKey(m.peerId, 'screen'),
        role: 'screen',
        stream: peer.screen,
        showVideo: true,
        speaking: false,
        handRaised: false
      })
  }
  return [...screens, ...tiles]
}

/** The most columns/rows that make the tiles as large as possible in a width x height stage. */
export function bestGrid(
  count: number,
  width: number,
  height: number,
  gap = 12,
  aspect = 16 / 9
): { cols: number; rows: number; tileWidth: number; tileHeight: number } {
  const n = Math.max(1, count)
  let best = { cols: 1, rows: n, tileWidth: 0, tileHeight: 0 }
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols)
    const maxW = (width - gap * (cols - 1)) / cols
    const maxH = (height - gap * (rows - 1)) / rows
    const tileWidth = Math.max(0, Math.min(maxW, maxH * aspect))
    if (tileWidth > best.tileWidth) best = { cols, rows, tileWidth: Math.floor(tileWidth), tileHeight: Math.floor(tileWidth / aspect) }
  }
  return best
}

export function paginate<T>(items: readonly T[], page: number, perPage = PER_PAGE): { items: T[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(items.length / perPage))
  const p = Math.min(Math.max(0, page), pageCount - 1)
  return { items: items.slice(p * perPage, p * perPage + perPage), page: p, pageCount }
}

/** Speaker view: the pinned tile, else a shared screen (someone else's before ours), else whoever speaks, else the first other person. */
export function speakerLayout<T extends { key: string; role: StreamRole; self: boolean; peerId: string }>(
  tiles: readonly T[],
  pinned: string | null,
  speaker: string | null
): { main: T | null; strip: T[] } {
  const main =
    tiles.find((t) => t.key === pinned) ??
    tiles.find((t) => t.role === 'screen' && !t.self) ??
    tiles.find((t) => t.role === 'screen') ??
    tiles.find((t) => t.role === 'camera' && !t.self && t.peerId === speaker) ??
    tiles.find((t) => !t.self) ??
    tiles[0] ??
    null
  return { main, strip: tiles.filter((t) => t !== main) }
}
