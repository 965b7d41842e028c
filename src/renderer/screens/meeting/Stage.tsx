import { useEffect, useMemo, useRef, useState } from 'react'
import { ChevronLeftIcon, ChevronRightIcon } from '../../features/icons/icons'
import type { FrameSize } from '../../features/call/tile-fit'
import { Tile } from './Tile'
import { bestGrid, paginate, speakerLayout, STRIP_MAX, type TileModel } from './tiles'

export type LayoutMode = 'grid' | 'speaker'

function useElementSize(ref: React.RefObject<HTMLElement | null>): { width: number; height: number } {
  const [size, setSize] = useState({ width: 960, height: 540 })
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height })
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [ref])
  return size
}

interface StageProps {
  tiles: TileModel<MediaStream>[]
  layout: LayoutMode
  pinned: string | null
  speaker: string | null
  reactions: ReadonlyMap<string, string[]>
  onPin: (key: string | null) => void
  onRetry: (peerId: string) => void
  /** the tiles on screen now, each with its size in CSS pixels; the others' video is paused */
  onVisible: (tiles: ReadonlyMap<string, FrameSize>) => void
}

const NO_REACTIONS: string[] = []
/** `.stage-strip > .tile` in meeting.css */
const STRIP_TILE: FrameSize = { width: 200, height: 120 }

/** The tiles: a grid of up to nine per page, or one large tile with a strip of the others. */
export function Stage({ tiles, layout, pinned, speaker, reactions, onPin, onRetry, onVisible }: StageProps) {
  const ref = useRef<HTMLDivElement>(null)
  const size = useElementSize(ref)
  const [page, setPage] = useState(0)

  const ordered = useMemo(() => {
    const pin = tiles.find((t) => t.key === pinned)
    return pin ? [pin, ...tiles.filter((t) => t !== pin)] : tiles
  }, [tiles, pinned])
  const paged = paginate(ordered, page)
  const speakerView = speakerLayout(tiles, pinned, speaker)
  const strip = speakerView.strip.slice(0, STRIP_MAX)
  const speakerMode = layout === 'speaker' && speakerView.main !== null
  const visible = !speakerMode ? paged.items : [speakerView.main, ...strip].filter((t): t is TileModel<MediaStream> => t !== null)
  const pagerHeight = paged.pageCount > 1 ? 48 : 0
  const grid = bestGrid(paged.items.length, size.width, size.height - pagerHeight)
  // Each tile's size, so each sender sends what the tile shows: more for the speaker, less for the strip.
  const sizeOf = (i: number): FrameSize => (!speakerMode ? { width: grid.tileWidth, height: grid.tileHeight } : i === 0 ? size : STRIP_TILE)
  const visibleKey = visible.map((t, i) => `${t.key}=${Math.round(sizeOf(i).width)}x${Math.round(sizeOf(i).height)}`).join('|')

  useEffect(() => {
    const tiles = new Map<string, FrameSize>()
    for (const entry of visibleKey.split('|')) {
      const [key, dims] = entry.split('=')
      const [width, height] = (dims ?? '').split('x').map(Number)
      if (key) tiles.set(key, { width: width ?? 0, height: height ?? 0 })
    }
    onVisible(tiles)
  }, [visibleKey, onVisible])

  const render = (t: TileModel<MediaStream>, compact = false) => (
    <Tile
      key={t.key}
      tile={t}
      pinned={t.key === pinned}
      onPin={onPin}
      onRetry={onRetry}
      reactions={reactions.get(t.peerId) ?? NO_REACTIONS}
      compact={compact}
    />
  )

  if (speakerMode && speakerView.main) {
    const hidden = speakerView.strip.length - strip.length
    return (
      <div className="stage stage--speaker" data-testid="stage" data-layout="speaker">
        <div className="stage-main" ref={ref}>
          {render(speakerView.main)}
        </div>
        {strip.length > 0 && (
          <div className="stage-strip" aria-label="Other participants">
            {strip.map((t) => render(t, true))}
            {hidden > 0 && <div className="strip-more">+{hidden} more</div>}
          </div>
        )}
      </div>
    )
  }

  return (
    <div className="stage stage--grid" data-testid="stage" data-layout="grid">
      <div className="stage-grid-area" ref={ref}>
        <div
          className="stage-grid"
          style={{ gridTemplateColumns: `repeat(${grid.cols}, ${grid.tileWidth}px)`, gridAutoRows: `${grid.tileHeight}px` }}
        >
          {paged.items.map((t) => render(t))}
        </div>
        {paged.pageCount > 1 && (
          <nav className="pager" aria-label="Pages of participants">
            <button
              type="button"
              className="icon-btn"
              aria-label="Previous page"
              disabled={paged.page === 0}
              onClick={() => setPage(paged.page - 1)}
              data-testid="stage-prev"
            >
              <ChevronLeftIcon />
            </button>
            <span data-testid="stage-page">
              Page {paged.page + 1} of {paged.pageCount}
            </span>
            <button
              type="button"
              className="icon-btn"
              aria-label="Next page"
              disabled={paged.page >= paged.pageCount - 1}
              onClick={() => setPage(paged.page + 1)}
              data-testid="stage-next"
            >
              <ChevronRightIcon />
            </button>
          </nav>
        )}
      </div>
    </div>
  )
}
