import type { VideoQuality } from './model'

/**
 * Sender limits for a mesh: every member uploads one copy of their video per other member,
 * so the per-link cap shrinks as the room grows, within an upload budget per quality level.
 */
export interface SenderCap {
  maxBitrate: number
  scaleResolutionDownBy: number
  maxFramerate: number
}

const ONE_TO_ONE_BPS: Record<VideoQuality, number> = { low: 400_000, medium: 1_200_000, high: 2_500_000 }
const UPLOAD_BUDGET_BPS: Record<VideoQuality, number> = { low: 700_000, medium: 2_000_000, high: 4_000_000 }
const FLOOR_BPS = 120_000
const SCREEN_MAX_BPS = 2_500_000

/** Capture sizes per quality; the sender scales down from these. */
export const CAPTURE_SIZE: Record<VideoQuality, { width: number; height: number }> = {
  low: { width: 640, height: 360 },
  medium: { width: 960, height: 540 },
  high: { width: 1280, height: 720 }
}

/** The first seconds of a link: small frames reach the other side sooner; we ramp up after. */
export const WARMUP_CAP: SenderCap = { maxBitrate: 300_000, scaleResolutionDownBy: 2, maxFramerate: 30 }

export function cameraCap(quality: VideoQuality, remoteCount: number): SenderCap {
  const n = Math.max(1, Math.floor(remoteCount))
  const maxBitrate = Math.max(FLOOR_BPS, Math.round(Math.min(ONE_TO_ONE_BPS[quality], UPLOAD_BUDGET_BPS[quality] / n)))
  const scaleResolutionDownBy = n <= 2 ? 1 : n <= 4 ? 1.5 : 2
  const maxFramerate = n >= 6 ? 20 : 30
  return { maxBitrate, scaleResolutionDownBy, maxFramerate }
}

/** Screens need detail more than motion: full size, fewer frames, a bigger share of the budget. */
export function screenCap(quality: VideoQuality, remoteCount: number): SenderCap {
  const n = Math.max(1, Math.floor(remoteCount))
  const maxBitrate = Math.max(FLOOR_BPS * 2, Math.round(Math.min(SCREEN_MAX_BPS, (UPLOAD_BUDGET_BPS[quality] * 0.8) / n)))
  return { maxBitrate, scaleResolutionDownBy: 1, maxFramerate: 15 }
}
