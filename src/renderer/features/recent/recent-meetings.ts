import { z } from 'zod'

/**
 * Meetings this window joined lately, newest first, kept in local storage so the home screen
 * can offer "join again". Bounded, de-duplicated by room, and read defensively (storage is
 * user-writable and may hold anything).
 */
export const RecentMeeting = z.object({
  roomId: z.string().max(64),
  title: z.string().max(120),
  invite: z.string().max(4096),
  lastJoinedAt: z.number().int()
})
export type RecentMeeting = z.infer<typeof RecentMeeting>

export const RECENT_KEY = 'dym.recent-meetings'
export const MAX_RECENT = 8

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export function readRecent(store: KeyValueStore): RecentMeeting[] {
  try {
    const raw: unknown = JSON.parse(store.getItem(RECENT_KEY) ?? '[]')
    if (!Array.isArray(raw)) return []
    return raw
      .slice(0, MAX_RECENT * 2)
      .map((item) => RecentMeeting.safeParse(item))
      .flatMap((r) => (r.success ? [r.data] : []))
      .sort((a, b) => b.lastJoinedAt - a.lastJoinedAt)
      .slice(0, MAX_RECENT)
  } catch {
    return []
  }
}

export function rememberMeeting(store: KeyValueStore, meeting: RecentMeeting): RecentMeeting[] {
  const next = [meeting, ...readRecent(store).filter((m) => m.roomId !== meeting.roomId)].slice(0, MAX_RECENT)
  store.setItem(RECENT_KEY, JSON.stringify(next))
  return next
}

export function forgetMeeting(store: KeyValueStore, roomId: string): RecentMeeting[] {
  const next = readRecent(store).filter((m) => m.roomId !== roomId)
  store.setItem(RECENT_KEY, JSON.stringify(next))
  return next
}
