import type { DymApi, IceServer, Settings } from '../../../shared/contract/index'
import type { CallSettings } from './call-session'

/** The user's own STUN/TURN first, then the meeting's relays'; each server once. */
export function mergeIceServers(own: readonly IceServer[], meeting: readonly IceServer[]): IceServer[] {
  const seen = new Set<string>()
  const out: IceServer[] = []
  for (const server of [...own, ...meeting]) {
    const key = JSON.stringify([server.urls, server.username ?? null, server.credential ?? null])
    if (seen.has(key)) continue
    seen.add(key)
    out.push(server)
  }
  return out
}

export const callSettingsOf = (s: Settings): CallSettings => ({
  iceServers: s.iceServers,
  iceTransportPolicy: s.iceTransportPolicy,
  videoQuality: s.videoQuality
})

/**
 * What the call's peer connections use: the user's settings merged with the STUN/TURN servers
 * the meeting's relays gave us (fresh credentials). `load` waits for the relays' first answer,
 * so the first offer already gathers relayed candidates; renewals (`room.ice-servers`, two
 * thirds into a credential's life) and settings changes reach the call through `subscribe`,
 * which applies them to the live links (setConfiguration and an ICE restart), so a long meeting
 * never runs on a credential that has expired. No public STUN server is added by default.
 */
export class MeetingIceFeed {
  private own: CallSettings | null = null
  private meeting: IceServer[] = []
  private fresh = false
  private readonly listeners = new Set<(s: CallSettings) => void>()
  private readonly unsubscribe: Array<() => void> = []

  constructor(
    private readonly dym: Pick<DymApi, 'invoke' | 'on'>,
    private readonly roomId: string
  ) {
    // From now on: a renewal that arrives while `load` waits is not lost.
    this.unsubscribe.push(
      dym.on('room.ice-servers', (e) => {
        if (e.roomId !== this.roomId) return
        this.meeting = e.iceServers
        this.fresh = true
        this.changed()
      }),
      dym.on('settings.changed', (s) => {
        this.own = callSettingsOf(s)
        this.changed()
      })
    )
  }

  /** The call's settings with the meeting's servers; asks the core for them (it waits a few seconds for the relays). */
  async load(own: CallSettings): Promise<CallSettings> {
    this.own ??= own
    try {
      const got = await this.dym.invoke('room.iceServers', { roomId: this.roomId })
      if (!this.fresh) this.meeting = got.iceServers
    } catch {
      // Not in the meeting any more, or an older core: the user's own servers still apply.
    }
    return this.current()
  }

  current(): CallSettings {
    const own = this.own ?? { iceServers: [], iceTransportPolicy: 'all', videoQuality: 'medium' }
    return { ...own, iceServers: mergeIceServers(own.iceServers, this.meeting) }
  }

  subscribe(listener: (s: CallSettings) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.listeners.clear()
    for (const off of this.unsubscribe.splice(0)) off()
  }

  private changed(): void {
    if (!this.own) return
    const now = this.current()
    for (const listener of this.listeners) listener(now)
  }
}
