import type { Multiaddr } from '@multiformats/multiaddr'
import { RefusedError, type RefusalCode } from '../p2p/errors'
import { lastPeerId, parseAddr } from '../p2p/addrs'
import type { RoomSession } from '../p2p/protocols/room/index'

/** How telling a refusal is: a host's "no" beats "that person is not in the meeting any more". */
const RANK: Record<RefusalCode, number> = {
  'wrong-key': 5,
  identity: 5,
  'not-listed': 5,
  declined: 5,
  banned: 4,
  'no-host': 3,
  busy: 2,
  protocol: 1,
  'not-member': 0
}

/** Nobody let us in: the best refusal we got, or none if nobody answered at all. */
export class JoinFailed extends Error {
  override readonly name = 'JoinFailed'
  constructor(
    readonly refusal: RefusedError | null,
    /** how many peers we tried, and how many of them answered that the meeting is not running there */
    readonly tally: { tried: number; notRunning: number } = { tried: 0, notRunning: 0 },
    /** the join was cancelled (we left, the node stopped) */
    readonly cancelled = false,
    /** the deadline passed while somebody we had reached was still answering: slow, not absent */
    readonly timedOut = false
  ) {
    super(refusal?.reason ?? 'Could not reach anyone in this meeting. They may all have left, or be unreachable from this network.')
  }

  /**
   * Nobody is in the meeting: everyone we reached said it is not running there, or there was
   * nobody to ask but ourselves (our own invite). Not when nobody could be reached at all: that
   * may be our network, and opening it alone would split the meeting.
   */
  get nobodyThere(): boolean {
    if (this.cancelled || (this.refusal && this.refusal.code !== 'not-member')) return false
    return this.tally.notRunning > 0 || this.tally.tried === 0
  }
}

export interface JoinRaceOptions {
  /** Give up after this long without a welcome, unless a host is deciding on us. */
  deadlineMs: number
  /**
   * Give up sooner when nobody we tried could even be connected to by then (`reached` says),
   * so the person hears why within seconds instead of watching a spinner.
   */
  reachDeadlineMs?: number
  reached?(peers: string[]): boolean
  /** A second member welcomed us after the first: keep that session too. */
  onLateSession(session: RoomSession): void
  /** One way in failed (for the log: a join that reached nobody must say what each try met). */
  onAttemptFailed?(key: string, err: unknown): void
  /** Aborted when the join is cancelled (the user left, the node stopped). */
  signal: AbortSignal
}

/**
 * Every way into a room at once (invite addresses, DHT, LAN): the first member to welcome us
 * wins. It fails only when every source has reported and every attempt has ended.
 */
export class JoinRace {
  readonly result: Promise<RoomSession>
  private resolve!: (s: RoomSession) => void
  private reject!: (e: Error) => void
  private settled = false
  private readonly keys = new Set<string>()
  private running = 0
  private sources = 0
  private waiting = 0
  private best: RefusedError | null = null
  private readonly tally = { tried: 0, notRunning: 0 }
  private timer: ReturnType<typeof setTimeout> | null = null
  private reachTimer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly options: JoinRaceOptions) {
    this.result = new Promise((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    this.result.catch(() => undefined)
    this.arm()
    if (options.reachDeadlineMs !== undefined) {
      this.reachTimer = setTimeout(() => {
        if (this.settled || this.tally.tried === 0 || this.waiting > 0 || this.best) return
        if (!options.reached?.([...this.keys])) this.fail(new JoinFailed(null, { ...this.tally }))
      }, options.reachDeadlineMs)
      this.reachTimer.unref?.()
    }
    options.signal.addEventListener('abort', () => this.fail(new JoinFailed(null, { ...this.tally }, true)), { once: true })
  }

  /** A source of candidates (a DHT lookup, say); call the returned function when it is done. */
  source(): () => void {
    this.sources++
    let done = false
    return () => {
      if (done) return
      done = true
      this.sources--
      this.check()
    }
  }

  /** Try one peer, once per race. */
  attempt(key: string, run: (signal: AbortSignal, onWait: () => void) => Promise<RoomSession>): void {
    if (this.keys.has(key) || this.options.signal.aborted) return
    this.keys.add(key)
    this.tally.tried++
    this.running++
    let waited = false
    const onWait = () => {
      if (!waited) this.waiting++
      waited = true
    }
    run(this.options.signal, onWait)
      .then((session) => {
        if (!this.settled) {
          this.settled = true
          this.clear()
          this.resolve(session)
        } else this.options.onLateSession(session)
      })
      .catch((err: unknown) => {
        this.options.onAttemptFailed?.(key, err)
        if (err instanceof RefusedError && err.code === 'not-member') this.tally.notRunning++
        if (err instanceof RefusedError && (!this.best || RANK[err.code] > RANK[this.best.code])) this.best = err
      })
      .finally(() => {
        if (waited) this.waiting--
        this.running--
        this.check()
      })
  }

  /** Somebody we tried is connected (`reached`): a deadline that passes now means slow, not gone. */
  private answering(): boolean {
    return this.options.reached?.([...this.keys]) ?? false
  }

  private check(): void {
    if (!this.settled && this.running === 0 && this.sources === 0) this.fail(new JoinFailed(this.best, { ...this.tally }))
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      // A host is deciding whether to let us in: that can take a while, and has its own timeout.
      if (this.waiting > 0) return this.arm()
      this.fail(new JoinFailed(this.best, { ...this.tally }, false, this.running > 0 && this.answering()))
    }, this.options.deadlineMs)
    this.timer.unref?.()
  }

  private fail(err: Error): void {
    if (this.settled) return
    this.settled = true
    this.clear()
    this.reject(err)
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.reachTimer) clearTimeout(this.reachTimer)
  }
}

/**
 * Group invite addresses by the peer they reach (the last /p2p/ of each, so relay addresses
 * count for their target), leaving out `self` (an invite we made lists us).
 */
export function addrsByPeer(addrs: string[], self?: string): Map<string, Multiaddr[]> {
  const byPeer = new Map<string, Multiaddr[]>()
  for (const text of addrs) {
    const ma = parseAddr(text)
    if (!ma) continue
    const peer = lastPeerId(ma)
    if (!peer || peer === self) continue
    const list = byPeer.get(peer) ?? []
    list.push(ma)
    byPeer.set(peer, list)
  }
  return byPeer
}
