/**
 * The signalling protocol: WebRTC SDP and ICE between two members of one room, on one
 * long-lived stream per peer pair (a new stream per message costs a protocol negotiation each,
 * 14-17 ms here, and messages on separate streams arrive out of order). Spec: docs/protocols.md.
 */
export const SIGNAL_PROTOCOL = '/dym/signal/1.0.0'

/** An SDP is capped at 64 KiB by the contract; the frame adds the room id and field names. */
export const MAX_SIGNAL_FRAME_BYTES = 80 * 1024
/** An idle signalling stream is closed after this and reopened by the next message. */
export const SIGNAL_IDLE_TIMEOUT_MS = 5 * 60_000
export const SIGNAL_OPEN_TIMEOUT_MS = 10_000
export const SIGNAL_WRITE_TIMEOUT_MS = 5_000
/** One stream per peer pair is the rule; two allow both sides opening at once. */
export const MAX_INBOUND_STREAMS = 2
export const MAX_OUTBOUND_STREAMS = 2
/** A burst of ICE candidates is a few dozen frames; a few hundred per second is an attack. */
export const MAX_SIGNAL_FRAMES_PER_SECOND = 200
