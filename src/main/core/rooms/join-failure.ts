import { DymError } from '../../../shared/contract/errors'
import type { RefusedError } from '../p2p/errors'
import { JoinFailed } from './join-race'

/** What we know when a join reached nobody: enough to name the missing piece. */
export interface UnreachedJoin {
  /** relays the meeting names (the invite's and our own) */
  relays: number
  /** the invite lists an address through a relay */
  circuitAddrs: boolean
  /** at least one of the meeting's relays answered us */
  relayReached: boolean
}

/**
 * Why nobody in a meeting could be reached, in words a person can act on: no relay to go
 * through, a relay that does not answer, or a relay that answers with nobody behind it.
 */
export function unreachedReason(join: UnreachedJoin): string {
  if (join.relays === 0 && !join.circuitAddrs)
    return 'Nobody in this meeting could be reached directly, and the invite names no relay: ask the organiser to set a relay in Settings and send a new invite.'
  if (!join.relayReached)
    return "The meeting's relay could not be reached: check your internet connection, or ask the organiser whether the relay is running."
  return "The meeting's relay answers, but nobody in this meeting could be reached through it: they may all have left."
}

/** A member was reached but the welcome did not come in time: the machine or the network is slow. */
export const SLOW_JOIN = 'The meeting was reached, but joining it took too long: this computer or the network may be very busy. Try again.'

/**
 * What the person is told when a join did not get in: the member's refusal (after `refused`
 * has announced it), or why nobody could be reached, or the error itself.
 */
export function joinFailedError(
  err: unknown,
  facts: Omit<UnreachedJoin, 'relayReached'> & { relayReached(): boolean; refused(refusal: RefusedError): void }
): DymError {
  const refusal = err instanceof JoinFailed ? err.refusal : null
  if (refusal) {
    facts.refused(refusal)
    return new DymError('denied', refusal.reason)
  }
  if (err instanceof JoinFailed && err.timedOut) return new DymError('unavailable', SLOW_JOIN)
  if (err instanceof JoinFailed && !err.cancelled)
    return new DymError(
      'unavailable',
      unreachedReason({ relays: facts.relays, circuitAddrs: facts.circuitAddrs, relayReached: facts.relayReached() })
    )
  return new DymError('unavailable', err instanceof Error ? err.message : String(err))
}
