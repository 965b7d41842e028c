/**
 * Errors of the p2p layer. Like libp2p's own (`@libp2p/interface` errors) each has a stable
 * `name` that code and tests compare, never the message.
 */

/** A frame that is not JSON, fails its schema, or is bigger than its protocol allows. */
export class InvalidFrameError extends Error {
  override readonly name = 'InvalidFrameError'
}

/** The other side refused us (or we refused it); `reason` is shown to the person refused. */
export class RefusedError extends Error {
  override readonly name = 'RefusedError'
  constructor(
    readonly code: RefusalCode,
    readonly reason: string
  ) {
    super(reason)
  }
}

export type RefusalCode = 'not-member' | 'wrong-key' | 'identity' | 'not-listed' | 'declined' | 'no-host' | 'busy' | 'banned' | 'protocol'

/** A peer asked for something only members of the same room may do. */
export class NotMemberError extends Error {
  override readonly name = 'NotMemberError'
}

/** A read or write did not finish in time. */
export class FrameTimeoutError extends Error {
  override readonly name = 'FrameTimeoutError'
}

/**
 * libp2p's errors for a connection or stream that broke while it was being opened: through a
 * relay or on a busy machine this happens now and then, and the same dial works a moment later.
 * A refusal, an address nobody answers or a timeout is something else.
 */
const BROKEN_WHILE_OPENING = new Set([
  'ConnectionClosedError',
  'ConnectionClosingError',
  'MuxerClosedError',
  'StreamResetError',
  'StreamStateError'
])

export function brokeWhileOpening(err: unknown): boolean {
  return err instanceof Error && BROKEN_WHILE_OPENING.has(err.name)
}
