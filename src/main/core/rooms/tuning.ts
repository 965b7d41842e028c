/** The meeting's timings; tests shorten them. */
export interface MeetingTuning {
  /** give up joining after this long with nobody answering (a host deciding extends it) */
  joinDeadlineMs: number
  /** a join that could not connect to anyone by then says why (before the deadline) */
  reachDeadlineMs: number
  /** how long we wait for the members a welcome listed before leaving them to find us */
  membersWaitMs: number
  /** how long a member whose connection dropped may take to come back before it is shown gone */
  reconnectGraceMs: number
  /** how often members look each other up in the DHT */
  discoveryIntervalMs: number
  /** a peer that refused or failed is not tried again through discovery for this long */
  retryDiscoveredAfterMs: number
  /** a member that timed out is redialled, less and less often, for this long */
  healForMs: number
}

export const DEFAULT_MEETING_TUNING: MeetingTuning = {
  joinDeadlineMs: 20_000,
  reachDeadlineMs: 8_000,
  membersWaitMs: 5_000,
  reconnectGraceMs: 4_000,
  discoveryIntervalMs: 30_000,
  retryDiscoveredAfterMs: 60_000,
  healForMs: 10 * 60_000
}

/** Chat is for people: a burst of a couple of pastes, then a few lines a second at most. */
export const CHAT_LIMIT = { send: { points: 120, seconds: 60 }, receive: { points: 150, seconds: 60 } }

/**
 * From the moment we let someone in until its session is attached: its signals may race ahead of
 * the end of the handshake (accept them), and dialling it would only make a second session.
 */
export const ADMISSION_GRACE_MS = 15_000

/** A newcomer dials everyone its welcome listed; we give it this long before we dial it ourselves. */
export const NEWCOMER_DIALS_WITHIN_MS = 1_500

/** How long a member that went silent is redialled between tries, growing. */
export const HEAL_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 60_000]

/** At most this many members are remembered (the longest-gone are forgotten first). */
export const MAX_REMEMBERED_MEMBERS = 100

/** A member we are told about is dialled at no more than this many of the addresses given for it. */
export const MAX_DIAL_ADDRS_PER_PEER = 4

/**
 * What one member's word can make us dial: at most this many members it tells us about a minute,
 * and nothing more from it once this many of those tips have led nowhere.
 */
export const GOSSIP_DIALS = { perMinute: 8, failuresBeforeDistrust: 3 }
