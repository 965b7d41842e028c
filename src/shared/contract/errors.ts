/**
 * Errors that cross the contract. They travel as `{ code, message }` (class identity does not
 * survive IPC or JSON), and are turned back into a DymError on the renderer side.
 */
export const ERROR_CODES = [
  'bad-request', // failed schema validation
  'too-large', // request bigger than the method allows
  'unknown-method',
  'not-found',
  'conflict',
  'unavailable', // a dependency (directory, ffmpeg, peer) cannot be reached
  'denied', // not allowed (room rules, identity)
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorShape {
  code: ErrorCode
  message: string
}

export class DymError extends Error {
  override readonly name = 'DymError'
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message }
  }
}

export function isErrorShape(value: unknown): value is ErrorShape {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.code === 'string' && (ERROR_CODES as readonly string[]).includes(v.code) && typeof v.message === 'string'
}

/** What every request resolves to on the wire, on both transports. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorShape }

/** Turn a resolved envelope into its value, or throw its error as a DymError. */
export function unwrapEnvelope<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value
  throw new DymError(envelope.error.code, envelope.error.message)
}

/**
 * Whatever a rejected `window.dym.invoke` gave us, as a DymError. Over Electron's context
 * bridge an error arrives as a plain `{ code, message }` object; over the WebSocket bridge as
 * a DymError already.
 */
export function toDymError(err: unknown): DymError {
  if (err instanceof DymError) return err
  if (isErrorShape(err)) return new DymError(err.code, err.message)
  if (err instanceof Error) return new DymError('internal', err.message)
  return new DymError('internal', String(err))
}
