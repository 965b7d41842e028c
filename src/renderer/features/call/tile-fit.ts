import type { SenderCap } from './bitrate'

/**
 * What one receiver gets of our camera: the size of its tile (told over the link's control
 * channel), within what the room's upload budget and the link's estimated bandwidth carry.
 * Pure, unit-tested.
 *
 * Sizes snap to a few standard heights, rounding up, so a tile a few pixels under 360 still
 * gets 360p and a window being resized does not reconfigure the encoder on every pixel.
 */
export interface FrameSize {
  width: number
  height: number
}

export const HEIGHT_RUNGS = [180, 270, 360, 540, 720, 1080] as const

/** Bits per pixel per frame for good VP8 at a size, and the least we accept before stepping down. */
const GOOD_BPP = 0.1
const MIN_BPP = 0.04
/** the frame rate a size must still reach within the bandwidth to be chosen */
const MIN_FPS = 24
const FULL_FPS = 30

function rungFor(height: number): number {
  return HEIGHT_RUNGS.find((h) => h >= height) ?? HEIGHT_RUNGS[HEIGHT_RUNGS.length - 1]!
}

/** The bitrate a frame of this many pixels needs at `bpp` and `fps`. */
function bitsFor(pixels: number, bpp: number, fps: number): number {
  return Math.round(pixels * bpp * fps)
}

/**
 * The encoding for one receiver. `capture`: what the camera delivers; `wanted`: their tile in
 * device pixels (null: not told, the cap alone decides); `availableBps`: the link's estimate
 * (null: not known yet). Never upscales; never asks for more than `cap` allows.
 */
export function fitCamera(cap: SenderCap, capture: FrameSize | null, wanted: FrameSize | null, availableBps: number | null): SenderCap {
  if (!capture || capture.height <= 0 || capture.width <= 0) return cap
  const aspect = capture.width / capture.height
  const afterCap = capture.height / cap.scaleResolutionDownBy
  const target = wanted ? Math.min(afterCap, rungFor(Math.max(wanted.height, wanted.width / aspect))) : afterCap
  // The largest rung (or the target itself) whose minimum the budget and the link both carry.
  const carry = Math.min(cap.maxBitrate, availableBps ?? Number.POSITIVE_INFINITY)
  const fits = (h: number) => bitsFor(h * h * aspect, MIN_BPP, MIN_FPS) <= carry
  let height = target
  if (!fits(height)) height = [...HEIGHT_RUNGS].reverse().find((h) => h < target && fits(h)) ?? HEIGHT_RUNGS[0]
  height = Math.min(height, capture.height)
  const scaleResolutionDownBy = Math.max(1, Math.round((capture.height / height) * 100) / 100)
  const pixels = (capture.width / scaleResolutionDownBy) * (capture.height / scaleResolutionDownBy)
  const maxBitrate = Math.min(cap.maxBitrate, Math.max(bitsFor(pixels, GOOD_BPP, FULL_FPS), 150_000))
  return { maxBitrate, scaleResolutionDownBy, maxFramerate: cap.maxFramerate }
}
