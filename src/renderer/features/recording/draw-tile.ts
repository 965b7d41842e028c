import { initials, type Tile } from './layout'

/** A 2D context on the page's canvas or on an OffscreenCanvas in the compositor's worker. */
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D

/** A picture to draw: a <video> on the page, a VideoFrame in the worker. */
export interface Frame {
  image: CanvasImageSource
  width: number
  height: number
}

export interface TileContent {
  name: string
  frame: Frame | null
  speaking: boolean
  isScreen: boolean
  /** 1 at 720p; sizes of text and outlines follow the canvas */
  scale: number
}

const PANEL = '#1e222b'
const SPEAKING = '#2fbf71'

/** One tile of the recording: video (or initials), the name, and an outline when speaking. */
export function drawTile(g: Context2D, tile: Tile, content: TileContent): void {
  const { x, y, w, h } = tile
  const radius = 10 * content.scale
  g.save()
  roundedRect(g, x, y, w, h, radius)
  g.clip()
  g.fillStyle = PANEL
  g.fillRect(x, y, w, h)
  if (content.frame) drawFrame(g, content.frame, tile)
  else drawInitials(g, tile, content)
  g.restore()

  if (!content.isScreen || content.name) drawName(g, tile, content)
  if (content.speaking) {
    g.save()
    g.lineWidth = 4 * content.scale
    g.strokeStyle = SPEAKING
    roundedRect(g, x + g.lineWidth / 2, y + g.lineWidth / 2, w - g.lineWidth, h - g.lineWidth, radius)
    g.stroke()
    g.restore()
  }
}

/** The whole canvas: background, then every tile that has a source. */
export function drawScene(
  g: Context2D,
  size: { width: number; height: number },
  tiles: readonly Tile[],
  content: (tile: Tile) => TileContent | null
): void {
  g.fillStyle = '#0f1115'
  g.fillRect(0, 0, size.width, size.height)
  for (const tile of tiles) {
    const c = content(tile)
    if (c) drawTile(g, tile, c)
  }
}

function drawFrame(g: Context2D, frame: Frame, tile: Tile): void {
  const vw = frame.width
  const vh = frame.height
  const scale = tile.fit === 'cover' ? Math.max(tile.w / vw, tile.h / vh) : Math.min(tile.w / vw, tile.h / vh)
  const dw = vw * scale
  const dh = vh * scale
  g.drawImage(frame.image, tile.x + (tile.w - dw) / 2, tile.y + (tile.h - dh) / 2, dw, dh)
}

function drawInitials(g: Context2D, tile: Tile, content: TileContent): void {
  const r = Math.min(tile.w, tile.h) * 0.2
  const cx = tile.x + tile.w / 2
  const cy = tile.y + tile.h / 2
  const gradient = g.createLinearGradient(cx - r, cy - r, cx + r, cy + r)
  gradient.addColorStop(0, '#4f8cff')
  gradient.addColorStop(1, '#7c5cff')
  g.fillStyle = gradient
  g.beginPath()
  g.arc(cx, cy, r, 0, Math.PI * 2)
  g.fill()
  g.fillStyle = '#ffffff'
  g.font = `600 ${Math.round(r * 0.8)}px Inter, system-ui, sans-serif`
  g.textAlign = 'center'
  g.textBaseline = 'middle'
  g.fillText(initials(content.name), cx, cy)
}

function drawName(g: Context2D, tile: Tile, content: TileContent): void {
  const size = Math.max(12, Math.round(22 * content.scale * Math.min(1, tile.h / 300 + 0.3)))
  g.save()
  g.font = `500 ${size}px Inter, system-ui, sans-serif`
  g.textBaseline = 'middle'
  g.textAlign = 'left'
  const pad = size * 0.6
  const label = content.isScreen ? `${content.name} (screen)` : content.name
  const maxW = tile.w - 4 * pad
  let text = label
  while (text.length > 1 && g.measureText(text).width > maxW) text = text.slice(0, -2) + '…'
  const boxW = g.measureText(text).width + 2 * pad
  const boxH = size * 1.8
  const bx = tile.x + pad
  const by = tile.y + tile.h - boxH - pad
  g.fillStyle = 'rgba(15, 17, 21, 0.72)'
  roundedRect(g, bx, by, boxW, boxH, boxH / 2)
  g.fill()
  g.fillStyle = '#e8eaf0'
  g.fillText(text, bx + pad, by + boxH / 2)
  g.restore()
}

function roundedRect(g: Context2D, x: number, y: number, w: number, h: number, r: number): void {
  g.beginPath()
  g.roundRect(x, y, w, h, r)
}
