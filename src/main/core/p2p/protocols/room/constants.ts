/**
 * The room protocol: joining a meeting with proof of its key, the members' identities, then
 * presence, chat and notices on one long-lived stream per member pair.
 * Spec: docs/protocols.md.
 */
export const ROOM_PROTOCOL = '/dym/room/1.0.0'

/** A frame carries at most one chat message (4000 chars) or one presentation: 64 KiB is ample. */
export const MAX_ROOM_FRAME_BYTES = 64 * 1024
/** What a presentation (3Bot credential or guest name) may weigh once JSON-encoded. */
export const MAX_PRESENTATION_BYTES = 8 * 1024

/** Every step of the join handshake must answer within this. */
export const HANDSHAKE_STEP_TIMEOUT_MS = 10_000
/** How long a joiner waits for the host of an ask-to-join room to decide. */
export const ADMIT_TIMEOUT_MS = 120_000
/** Members send a heartbeat this often... */
export const HEARTBEAT_INTERVAL_MS = 2_000
/** ...and one that hears nothing for this long is timed out (a SIGKILLed peer is gone within it). */
export const SESSION_IDLE_TIMEOUT_MS = 7_000
export const WRITE_TIMEOUT_MS = 5_000

/** Streams per connection: one session per room, plus room for a reconnect racing the old one. */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 4
/** Handshakes in progress at once, from everyone: a flood of dials cannot pile up work. */
export const MAX_PENDING_HANDSHAKES = 32
/** ...and from one peer: a joiner needs one (two while a reconnect races the old one). */
export const MAX_HANDSHAKES_PER_PEER = 2
/** A joiner says hello as soon as its stream opens: one that stays silent this long is dropped. */
export const HELLO_TIMEOUT_MS = 5_000
