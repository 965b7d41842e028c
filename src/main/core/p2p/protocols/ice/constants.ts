/**
 * The ICE servers protocol: a member of a meeting asks one of the meeting's relays for STUN and
 * TURN servers with a fresh, short-lived TURN credential, proving it holds the meeting's key.
 * Spec and threat model: docs/protocols.md, docs/turn.md.
 */
export const ICE_PROTOCOL = '/dym/ice/1.0.0'

/** The answer holds a few URLs and one credential: small. */
export const MAX_ICE_FRAME_BYTES = 8 * 1024
export const ICE_STEP_TIMEOUT_MS = 5_000
/** One request per stream; a member rarely needs more than one at a time per relay. */
export const MAX_INBOUND_STREAMS = 2
export const MAX_OUTBOUND_STREAMS = 2
/** Requests in progress at once, from everyone. */
export const MAX_PENDING_REQUESTS = 64

/** Per peer: credential requests per minute, and new meetings named per hour. */
export const REQUESTS_PER_MINUTE = 12
export const REGISTRATIONS_PER_HOUR = 12
/** Meetings the relay remembers at once, and how long one is kept after its last request. */
export const MAX_MEETINGS = 20_000
export const MEETING_IDLE_MS = 24 * 60 * 60_000
/** Devices that may fetch credentials under one meeting. */
export const MAX_PEERS_PER_MEETING = 64
