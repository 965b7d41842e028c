/**
 * The invite protocol: a device holding a meeting's short code asks a member for the full
 * invite, proving it holds the code without sending it. Spec and threat model: docs/protocols.md.
 */
export const INVITE_PROTOCOL = '/dym/invite/1.0.0'

/** The answer is one invite link (at most 4096 characters) and a little JSON around it. */
export const MAX_INVITE_FRAME_BYTES = 6 * 1024
export const INVITE_STEP_TIMEOUT_MS = 5_000
export const MAX_INBOUND_STREAMS = 2
export const MAX_OUTBOUND_STREAMS = 2

/**
 * Questions answered per peer per minute, and from everyone: 50 bits cannot be guessed online
 * at 600 tries a minute, however many peer ids a guesser makes (about 3.5 billion years on
 * average). A flood makes the code answer "busy" for a minute; the invite link still works.
 */
export const ASKS_PER_PEER_PER_MINUTE = 20
export const ASKS_PER_MINUTE = 600
