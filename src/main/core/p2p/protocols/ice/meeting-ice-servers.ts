import type { Libp2p } from '@libp2p/interface'
import { IceRefusedError } from './errors'
import { fetchIceServers, type FetchedIceServers, type RelayRef } from './fetch-ice-servers'
import type { IceServerEntry } from './messages'

export interface RelayIceStatus {
  relay: string
  /** the servers from this relay, while their credential lives */
  servers: FetchedIceServers | null
  /** why the last request failed, in words */
  error: string | null
  /** the relay answered the last request (with servers or a refusal): it is reachable */
  reached: boolean
}

export interface MeetingIceServersOptions {
  node: Pick<Libp2p, 'dialProtocol' | 'peerId'>
  relays: RelayRef[]
  roomKey: Uint8Array
  /** The merged list changed (fetched, refreshed, or a credential ran out). */
  onChange?(iceServers: IceServerEntry[]): void
  /** First retry after a failure; doubles up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
}

/**
 * The ICE servers of one meeting: asks every relay the invite names (in parallel), keeps each
 * relay's credential fresh (asks again two thirds into its life, so a long meeting never runs
 * on an expired one), retries relays that failed, and merges what it has. What the call uses
 * for its RTCPeerConnections; the rooms layer owns one per meeting.
 */
export class MeetingIceServers {
  private readonly state = new Map<string, RelayIceStatus & { timer: NodeJS.Timeout | null; failures: number }>()
  private stopped = false
  private last = ''
  private roomKey: Uint8Array
  /** bumped by replaceKey: an answer to a request made under an older key is dropped */
  private generation = 0
  /** per relay: the key we replaced, until that relay has been asked to retire it */
  private readonly retiring = new Map<string, Uint8Array>()
  /** the co-hosts we (as the host) name to every relay: they may retire the key there too */
  private deputies: string[] = []

  constructor(private readonly options: MeetingIceServersOptions) {
    this.roomKey = options.roomKey
    for (const relay of options.relays)
      this.state.set(relay.peerId, { relay: relay.peerId, servers: null, error: null, reached: false, timer: null, failures: 0 })
  }

  /** Ask every relay once; resolves when each has answered or failed. */
  async start(signal?: AbortSignal): Promise<void> {
    await Promise.all(this.options.relays.map((relay) => this.fetch(relay, signal)))
  }

  /**
   * The meeting's key was replaced (someone was removed): ask every relay again under the new
   * key now. `retiring`: the key it replaced, when we replaced it; each relay is asked to refuse
   * it from now on, so the person removed gets no more TURN credentials.
   */
  replaceKey(roomKey: Uint8Array, retiring: Uint8Array | null): void {
    if (this.stopped) return
    this.roomKey = roomKey
    this.generation++
    for (const relay of this.options.relays) {
      if (retiring) this.retiring.set(relay.peerId, retiring)
      void this.fetch(relay)
    }
  }

  /**
   * We are the host and our co-hosts changed: tell every relay (a relay heeds it only from the
   * device that named the meeting to it), so a co-host can retire the key there after we left.
   */
  setDeputies(peers: readonly string[]): void {
    const next = [...new Set(peers)].sort()
    if (this.stopped || next.join() === this.deputies.join()) return
    this.deputies = next
    for (const relay of this.options.relays) void this.fetch(relay)
  }

  stop(): void {
    this.stopped = true
    for (const entry of this.state.values()) if (entry.timer) clearTimeout(entry.timer)
  }

  /** Every relay's servers whose credential still lives, relays in the invite's order. */
  current(now = Date.now()): IceServerEntry[] {
    return [...this.state.values()].flatMap((e) => (e.servers && e.servers.expiresAt > now ? e.servers.iceServers : []))
  }

  status(): RelayIceStatus[] {
    return [...this.state.values()].map(({ relay, servers, error, reached }) => ({ relay, servers, error, reached }))
  }

  private async fetch(relay: RelayRef, signal?: AbortSignal): Promise<void> {
    const entry = this.state.get(relay.peerId)
    if (!entry || this.stopped) return
    const generation = this.generation
    try {
      const retiring = this.retiring.get(relay.peerId)
      const servers = await fetchIceServers(this.options.node, relay, this.roomKey, signal, retiring, this.deputies)
      if (retiring && this.retiring.get(relay.peerId) === retiring) this.retiring.delete(relay.peerId)
      if (this.stopped || generation !== this.generation) return
      entry.servers = servers
      entry.error = null
      entry.reached = true
      entry.failures = 0
      this.schedule(relay, entry, servers.refreshAt - Date.now())
    } catch (err) {
      if (this.stopped || generation !== this.generation) return
      entry.reached = err instanceof IceRefusedError
      entry.error =
        err instanceof IceRefusedError ? err.reason : `The relay could not be reached: ${err instanceof Error ? err.message : String(err)}`
      entry.failures++
      const retry = Math.min((this.options.retryMs ?? 5_000) * 2 ** (entry.failures - 1), this.options.maxRetryMs ?? 5 * 60_000)
      // A credential that still lives is kept until it runs out; retry before then if we can.
      const until = entry.servers ? Math.min(retry, entry.servers.expiresAt - Date.now()) : retry
      this.schedule(relay, entry, until)
    }
    this.changed()
  }

  private schedule(relay: RelayRef, entry: { timer: NodeJS.Timeout | null }, delayMs: number): void {
    if (entry.timer) clearTimeout(entry.timer)
    entry.timer = setTimeout(() => void this.fetch(relay), Math.max(1000, delayMs))
    entry.timer.unref?.()
  }

  private changed(): void {
    const list = this.current()
    const key = JSON.stringify(list)
    if (key === this.last) return
    this.last = key
    this.options.onChange?.(list)
  }
}
