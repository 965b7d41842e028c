import { WARMUP_CAP, type SenderCap } from './bitrate'

/** The cap for the first seconds of a link: small frames reach the other side sooner. */
export function warmupCap(normal: SenderCap): SenderCap {
  return {
    maxBitrate: Math.min(WARMUP_CAP.maxBitrate, normal.maxBitrate),
    scaleResolutionDownBy: Math.max(WARMUP_CAP.scaleResolutionDownBy, normal.scaleResolutionDownBy),
    maxFramerate: normal.maxFramerate
  }
}

/** RTCDegradationPreference, spelled out: this file is also compiled (for its tests) without DOM types. */
export type DegradationPreference = 'balanced' | 'maintain-framerate' | 'maintain-resolution'

/** What setEncoding reads and writes of RTCRtpSender: structural, so tests can count the calls. */
export interface EncodingParams {
  encodings?: Array<{ active?: boolean; maxBitrate?: number; scaleResolutionDownBy?: number; maxFramerate?: number }>
  degradationPreference?: DegradationPreference
}
export interface EncodingSender<P extends EncodingParams = EncodingParams> {
  getParameters(): P
  setParameters(params: P): Promise<void>
}

/**
 * What each sender was last set to. `getParameters` is a synchronous call into WebRTC's worker
 * thread: while a room forms, that thread is the busiest in the page, and asking it again for
 * every member change held the page's main thread (and the signals waiting on it) for hundreds
 * of milliseconds. A sender is only asked again when the wanted values change, or when `fresh`
 * says a negotiation may have replaced its encodings.
 */
const applied = new WeakMap<object, string>()

/**
 * We choose the size ourselves (the receiver's tile, the link: tile-fit.ts), so the encoder is
 * told to keep it and give way in frame rate. Left to "balanced", Chromium's CPU and quality
 * adaptation cut a two-person call to 320x180 on a busy machine and climbed back only slowly.
 */
export const KEEP_SIZE: DegradationPreference = 'maintain-resolution'

/** Apply a cap (and on/off) to a sender's first encoding; nothing to do when it already has them. */
export async function setEncoding<P extends EncodingParams>(
  sender: EncodingSender<P>,
  cap: SenderCap,
  active: boolean,
  fresh = false
): Promise<void> {
  const key = `${active}:${cap.maxBitrate}:${cap.scaleResolutionDownBy}:${cap.maxFramerate}:${KEEP_SIZE}`
  if (!fresh && applied.get(sender) === key) return
  applied.delete(sender)
  let set: boolean
  try {
    set = await setEncodingOnce(sender, cap, active)
  } catch (err) {
    // A negotiation changed the parameters between our get and set: read them again, once.
    if (!(err instanceof DOMException && err.name === 'InvalidModificationError')) throw err
    set = await setEncodingOnce(sender, cap, active)
  }
  if (set) applied.set(sender, key)
}

/** False when the sender has no encoding yet (not negotiated): nothing was set. */
async function setEncodingOnce<P extends EncodingParams>(sender: EncodingSender<P>, cap: SenderCap, active: boolean): Promise<boolean> {
  const params = sender.getParameters()
  const encoding = params.encodings?.[0]
  if (!encoding) return false
  if (
    encoding.active === active &&
    encoding.maxBitrate === cap.maxBitrate &&
    encoding.scaleResolutionDownBy === cap.scaleResolutionDownBy &&
    encoding.maxFramerate === cap.maxFramerate &&
    params.degradationPreference === KEEP_SIZE
  )
    return true
  params.degradationPreference = KEEP_SIZE
  encoding.active = active
  encoding.maxBitrate = cap.maxBitrate
  encoding.scaleResolutionDownBy = cap.scaleResolutionDownBy
  encoding.maxFramerate = cap.maxFramerate
  await sender.setParameters(params)
  return true
}
