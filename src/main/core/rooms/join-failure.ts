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
