import { RateLimiter } from '@libp2p/utils'

export interface PeerGuardOptions {
  /** Frames a peer may send per second on one protocol, across all its streams. */
  framesPerSecond: number
  /** Bad frames (or frames over the rate) a peer may send per window before it is banned. */
  strikeBudget: number
  strikeWindowSeconds: number
  /** How long a banned peer is ignored. */
  banSeconds: number
}

export const DEFAULT_GUARD: PeerGuardOptions = { framesPerSecond: 200, strikeBudget: 20, strikeWindowSeconds: 10, banSeconds: 60 }

/**
 * Per-peer limits for one protocol: a frame rate, and strikes for bad frames. Too many strikes
 * and the peer is banned for a while: its streams are aborted and new ones refused. All state
 * expires on its own (libp2p's RateLimiter keeps one unref'd timer per key), so a flood of
 * peer ids cannot grow it without bound.
 */
export class PeerGuard {
  private readonly rate: RateLimiter
  private readonly strikes: RateLimiter
  private readonly bans: RateLimiter

  constructor(
    readonly options: PeerGuardOptions = DEFAULT_GUARD,
    prefix = 'guard'
  ) {
    this.rate = new RateLimiter({ points: options.framesPerSecond, duration: 1, keyPrefix: `${prefix}:rate` })
    this.strikes = new RateLimiter({ points: options.strikeBudget, duration: options.strikeWindowSeconds, keyPrefix: `${prefix}:strike` })
    this.bans = new RateLimiter({ points: 0, duration: options.banSeconds, keyPrefix: `${prefix}:ban` })
  }

  /** Count one frame; false when the peer is over its rate (which is also a strike). */
  allowFrame(peer: string): boolean {
    try {
      this.rate.consume(peer)
      return true
    } catch {
      this.strike(peer)
      return false
    }
  }

  /** A bad frame. Returns true when this strike got the peer banned. */
  strike(peer: string, points = 1): boolean {
    const result = this.strikes.penalty(peer, points)
    if (result.consumedPoints > this.options.strikeBudget && !this.isBanned(peer)) {
      this.bans.set(peer, 1, this.options.banSeconds)
      return true
    }
    return false
  }

  ban(peer: string): void {
    this.bans.set(peer, 1, this.options.banSeconds)
  }

  isBanned(peer: string): boolean {
    return (this.bans.get(peer)?.consumedPoints ?? 0) > 0
  }

  /** How many peers the guard currently remembers (for tests: proves state stays bounded). */
  get size(): number {
    return this.rate.memoryStorage.storage.size + this.strikes.memoryStorage.storage.size + this.bans.memoryStorage.storage.size
  }
}

/** Take one point from a limiter: false when the key has none left (RateLimiter throws then). */
export function tryConsume(limiter: RateLimiter, key: string): boolean {
  try {
    limiter.consume(key)
    return true
  } catch {
    return false
  }
}
