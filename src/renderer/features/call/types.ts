import type { SignalPayload } from '../../../shared/contract/rooms'
import type { LinkState, LinkStats } from './model'

export type { SignalPayload }
export type { LinkState, LinkStats, MediaRoute, QualityBars, StreamRole, VideoQuality } from './model'

/**
 * How the mesh reaches the other members. In the app this is `window.dym` (signal.send and the
 * signal.received event, carried by libp2p); in tests an in-page bus. Delivery may reorder
 * messages: the engine copes.
 */
export interface SignalTransport {
  send(to: string, signal: SignalPayload): Promise<unknown> | void
  onSignal(listener: (from: string, signal: SignalPayload) => void): () => void
}

/** What the UI needs to draw one remote member. Immutable: a new object on every change. */
export interface RemotePeerView {
  id: string
  state: LinkState
  polite: boolean
  /** their camera + microphone (one stream); null until the first track arrives */
  camera: MediaStream | null
  /** whether a camera video track is present and producing frames */
  cameraLive: boolean
  /** their shared screen, as its own stream; null when they are not sharing */
  screen: MediaStream | null
  /** 0..1, from the audio receiver, as of the last change of this view (engine.audioLevels() is live) */
  audioLevel: number
  stats: LinkStats | null
  /** how many ICE restarts this link went through */
  iceRestarts: number
  /** their microphone/camera state as their engine last told ours; null until it did */
  media: MediaState | null
}

export interface MediaState {
  muted: boolean
  cameraOff: boolean
}

export interface IceSettings {
  iceServers: RTCIceServer[]
  iceTransportPolicy: RTCIceTransportPolicy
}

export type Log = (message: string, detail?: unknown) => void

/** Who dialled the meeting link with a member, as the room tells it (undefined: not known). */
export type LinkedBy = (id: string) => 'us' | 'them' | undefined
