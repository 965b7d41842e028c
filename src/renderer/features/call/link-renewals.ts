/** Why a link asks to be replaced by a new peer connection (see PeerLink's `onRenew`). */
export type RenewReason = 'never-connected' | 'out-of-step'

/** new peer connections per member because the two sides' descriptions stopped fitting */
const MAX_OUT_OF_STEP_RENEWALS = 3

/**
 * How often each member's link may be replaced, so that a link that cannot work does not loop:
 * once when it never connected (a second time would repeat every connect timeout), a few times
 * when the two sides' descriptions stopped fitting.
 */
export class LinkRenewals {
  private readonly neverConnected = new Set<string>()
  private readonly outOfStep = new Map<string, number>()

  /** May the link to this member be replaced now? Counts the replacement when it may. */
  allow(id: string, reason: RenewReason): boolean {
    if (reason === 'never-connected') {
      if (this.neverConnected.has(id)) return false
      this.neverConnected.add(id)
      return true
    }
    const count = this.outOfStep.get(id) ?? 0
    if (count >= MAX_OUT_OF_STEP_RENEWALS) return false
    this.outOfStep.set(id, count + 1)
    return true
  }

  /** The member left: a later link to it starts with a fresh allowance. */
  forget(id: string): void {
    this.neverConnected.delete(id)
    this.outOfStep.delete(id)
  }
}
