/**
 * Where a tapped frame lies in its source's RTP time, for the recording worker (tap-worker.ts).
 * Pure code, tested without a browser.
 */

export interface EncodedFrameLike {
  readonly data: ArrayBuffer
  readonly type?: 'key' | 'delta' | 'empty'
  /** the RTP timestamp (Chromium; not in the standard, so `getMetadata().rtpTimestamp` where it is missing) */
  readonly timestamp?: number
  getMetadata(): { synchronizationSource?: number; rtpTimestamp?: number; mimeType?: string }
}

/** What a tap knows of the source of its frames. */
export interface StampState {
  /** the SSRC of the frames copied last; null before the first (or after one of a wrong codec) */
  ssrc: number | null
  lastStamp: number
  /** a frame of a codec that cannot be recorded was seen (said once) */
  wrongCodec: boolean
}

/**
 * RTP timestamps that move by more than this many seconds between two frames of a tap may be a
 * new source (SSRC): the frame's metadata is read again to know.
 */
const STAMP_JUMP_S = 5

/**
 * The frame's RTP timestamp, or null for a frame of a codec that cannot be recorded as it
 * arrives. The metadata (SSRC, codec) is read for a tap's first frame and again only when the
 * stamps jump, as they do when a new source starts: a metadata object for each of 200 frames a
 * second was a fifth of what copying cost the worker.
 */
export function stampOf(state: StampState, frame: EncodedFrameLike, video: boolean, report: (problem: string) => void): number | null {
  const stamp = frame.timestamp
  if (typeof stamp === 'number' && state.ssrc !== null && !jumped(stamp, state.lastStamp, video ? 90_000 : 48_000)) {
    state.lastStamp = stamp
    return stamp
  }
  const meta = frame.getMetadata()
  const expected = video ? 'video/vp8' : 'audio/opus'
  if (meta.mimeType && meta.mimeType.toLowerCase() !== expected) {
    if (!state.wrongCodec) report(`a ${meta.mimeType} track cannot be recorded as it arrives`)
    state.wrongCodec = true
    state.ssrc = null
    return null
  }
  state.ssrc = meta.synchronizationSource ?? 0
  state.lastStamp = meta.rtpTimestamp ?? stamp ?? 0
  return state.lastStamp
}

/** Two RTP timestamps (32 bits, wrapping) further apart than STAMP_JUMP_S, either way. */
export function jumped(stamp: number, last: number, rate: number): boolean {
  const forward = (stamp - last + 2 ** 32) % 2 ** 32
  return Math.min(forward, 2 ** 32 - forward) > STAMP_JUMP_S * rate
}
