import { DymError } from '../../shared/contract/index'

/** Why the ThreeFold Connect login window ended without a redirect (stable `reason`, tested on). */
export type LoginWindowFailure = 'closed' | 'timeout' | 'load-failed' | 'busy' | 'bad-url'

export class LoginWindowError extends Error {
  override readonly name = 'LoginWindowError'
  constructor(
    readonly reason: LoginWindowFailure,
    message: string
  ) {
    super(message)
  }
}

/** What the user reads when a login ends early (the identity service shows the message). */
export function loginFailureToDymError(err: unknown): DymError {
  if (!(err instanceof LoginWindowError))
    return err instanceof DymError ? err : new DymError('internal', err instanceof Error ? err.message : String(err))
  switch (err.reason) {
    case 'closed':
      return new DymError('denied', 'Sign-in was cancelled: the ThreeFold Connect window was closed.')
    case 'timeout':
      return new DymError('unavailable', 'Sign-in timed out: ThreeFold Connect did not answer within 2 minutes.')
    case 'load-failed':
      return new DymError('unavailable', `The ThreeFold Connect login page could not be loaded (${err.message}).`)
    case 'busy':
      return new DymError('conflict', 'A ThreeFold Connect sign-in is already open.')
    case 'bad-url':
      return new DymError('bad-request', err.message)
  }
}

/**
 * The identity service's view of a login window (its LoginWindow port in
 * src/main/core/identity/login-window.ts): a redirect, or the person closed it, or it timed out.
 * Anything else (page failed to load, a login already open, a bad URL) is an error to show.
 */
export type LoginWindowOutcome = { kind: 'redirect'; url: string } | { kind: 'closed' } | { kind: 'timeout' }

export async function toLoginOutcome(redirect: Promise<string>): Promise<LoginWindowOutcome> {
  try {
    return { kind: 'redirect', url: await redirect }
  } catch (err) {
    if (err instanceof LoginWindowError && err.reason === 'closed') return { kind: 'closed' }
    if (err instanceof LoginWindowError && err.reason === 'timeout') return { kind: 'timeout' }
    throw loginFailureToDymError(err)
  }
}
