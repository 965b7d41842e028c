import { z } from 'zod'

/**
 * Remembered window size and position, as plain functions (no Electron import; tested). The
 * saved file is untrusted input: a hand edit, an old version or a disconnected monitor must
 * never give a window that is invisible, huge, or off every screen.
 */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

const coordinate = z.number().int().min(-100_000).max(100_000)
const extent = z.number().int().min(1).max(100_000)

export const WindowStateSchema = z.object({
  x: coordinate,
  y: coordinate,
  width: extent,
  height: extent,
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false)
})
export type WindowState = z.infer<typeof WindowStateSchema>

export const WINDOW_STATE_MAX_BYTES = 4096

/** The saved JSON, or null when it is missing, oversize or not what we wrote. */
export function parseWindowState(text: string | null): WindowState | null {
  if (text === null || text.length > WINDOW_STATE_MAX_BYTES) return null
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export interface Placement {
  /** x/y absent: let the OS centre the window. */
  bounds: { x?: number; y?: number; width: number; height: number }
  maximized: boolean
  fullScreen: boolean
}

export interface PlacementDefaults {
  width: number
  height: number
  minWidth: number
  minHeight: number
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max))

/**
 * Where to open the window: the saved bounds, moved and shrunk to lie wholly inside the work
 * area of the display they overlap most; centred on the primary display (`workAreas[0]`) when
 * they overlap none (the monitor is gone); the default size when nothing was saved.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], defaults: PlacementDefaults): Placement {
  const primary = workAreas[0]
  if (!primary) return { bounds: { width: defaults.width, height: defaults.height }, maximized: false, fullScreen: false }
  if (!saved) {
    return {
      bounds: { width: Math.min(defaults.width, primary.width), height: Math.min(defaults.height, primary.height) },
      maximized: false,
      fullScreen: false
    }
  }
  let best: Rect | null = null
  let bestArea = 0
  for (const area of workAreas) {
    const overlap = overlapArea(saved, area)
    if (overlap > bestArea) {
      best = area
      bestArea = overlap
    }
  }
  const area = best ?? primary
  const width = clamp(saved.width, Math.min(defaults.minWidth, area.width), area.width)
  const height = clamp(saved.height, Math.min(defaults.minHeight, area.height), area.height)
  const centred = best === null
  const x = centred ? area.x + Math.round((area.width - width) / 2) : clamp(saved.x, area.x, area.x + area.width - width)
  const y = centred ? area.y + Math.round((area.height - height) / 2) : clamp(saved.y, area.y, area.y + area.height - height)
  return { bounds: { x, y, width, height }, maximized: saved.maximized, fullScreen: saved.fullScreen }
}

/** What to save: the normal (un-maximized) bounds plus the maximized/full-screen flags. */
export function windowStateToSave(normalBounds: Rect, flags: { maximized: boolean; fullScreen: boolean }): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.max(1, Math.round(normalBounds.width)),
    height: Math.max(1, Math.round(normalBounds.height)),
    maximized: flags.maximized,
    fullScreen: flags.fullScreen
  }
}
