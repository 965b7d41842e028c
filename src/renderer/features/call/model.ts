/**
 * The call's plain data types: no DOM, so pure helpers (and their Node unit tests) can use them.
 */
export type VideoQuality = 'low' | 'medium' | 'high'

/** A remote video is either the person's camera or their shared screen. */
export type StreamRole = 'camera' | 'screen'

/**
 * - connecting: first negotiation or ICE checks under way
 * - connected: media can flow
 * - reconnecting: ICE dropped; restarting
 * - unreachable: every attempt failed (shown to the user as "cannot reach")
 */
export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'closed'

export type MediaRoute = 'direct' | 'relayed'

/** 0 = no signal, 4 = excellent. */
export type QualityBars = 0 | 1 | 2 | 3 | 4

export interface LinkStats {
  route: MediaRoute | null
  /** the relay that carries the media when `route` is relayed (a host name or address) */
  relay: string | null
  rttMs: number | null
  /** inbound packet loss over the last sample, percent */
  lossPct: number | null
  inKbps: number | null
  outKbps: number | null
  /** camera video frames decoded so far */
  framesDecoded: number
  screenFramesDecoded: number
  fps: number | null
  /** their camera as it arrives (decoded frame size), null before the first frame */
  frameWidth: number | null
  frameHeight: number | null
  /** the link's estimate of what we can send to them, bits/s (null until known) */
  availableOutBps: number | null
  /** inbound audio energy so far (rises while the person makes sound) */
  audioEnergy: number
  quality: QualityBars
}
