/**
 * Files in chat: one stream per file and receiver, straight between the two members' cores.
 * Spec: docs/protocols.md.
 */
export const FILE_PROTOCOL = '/dym/file/1.0.0'

/** The largest file a member may offer (and a receiver will take): 2 GiB. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
/** File bytes travel in frames of at most this much (plus one kind byte). */
export const DATA_FRAME_BYTES = 64 * 1024
/** A control frame (offer, accept, end, done, refuse) is small JSON. */
export const MAX_CONTROL_FRAME_BYTES = 4 * 1024
export const MAX_FRAME_BYTES = DATA_FRAME_BYTES + 1
/** What one transfer's stream may buffer: yamux's largest window (16 MiB) and a little more. */
export const RECEIVE_BUFFER_BYTES = 17 * 1024 * 1024

/** The offer frame must arrive this soon after the stream opens. */
export const OFFER_TIMEOUT_MS = 10_000
/** How long a receiver has to accept or decline an offer. */
export const DECISION_TIMEOUT_MS = 5 * 60_000
/** A transfer on which no bytes move for this long (either side) has stalled and is ended. */
export const STALL_TIMEOUT_MS = 30_000
/** After the last byte, the receiver has this long to check the hash and answer. */
export const FINISH_TIMEOUT_MS = 60_000
export const OPEN_TIMEOUT_MS = 10_000

/** Per sending peer: files it may be offering or sending to us at once, and offers per minute. */
export const MAX_TRANSFERS_PER_PEER = 2
export const MAX_OFFERS_PER_MINUTE = 10
/** From everyone together. */
export const MAX_INBOUND_TRANSFERS = 8
/** Streams per connection: the two transfers, and room for a refused third to be answered. */
export const MAX_INBOUND_STREAMS = 4
export const MAX_OUTBOUND_STREAMS = 8
