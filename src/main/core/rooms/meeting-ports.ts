import type { PeerId } from '@libp2p/interface'
import type { Logger } from '../log'
import type { Emit } from '../service'
import type { RememberedMeeting } from './meeting-memory'
import type { MeetingNetwork } from './member-links'
import type { Sign } from './moderation'
import type { Rendezvous } from './rendezvous'
import type { MeetingTuning } from './tuning'

/** What a meeting needs from the node it runs on (room-node.ts provides it). */
export interface MeetingPorts {
  readonly network: MeetingNetwork
  readonly emit: Emit
  readonly log: Logger
  readonly tuning: MeetingTuning
  /** The invite for this meeting: its key now, with our current addresses. */
  invite(meeting: { wireId: string; key: Uint8Array; title: string }): string
  /** How our open connection to a peer runs (only asked for members with a live session). */
  routeTo(peer: PeerId): 'direct' | 'relayed'
  addrsOf(peer: PeerId): Promise<string[]>
  /** Open the signalling stream ahead of the first offer. */
  warmSignal(peer: PeerId): void
  forgetSignal(peer: PeerId): void
  /** A member broke the room's limits (chat flood): a strike on its record. */
  strike(peer: PeerId): void
  /** Keep what we know of the meeting on disk (never fails: a failure is only logged). */
  remember(roomId: string, memory: () => Promise<RememberedMeeting>): Promise<void>
  /** DHT announce and lookup under a room key. */
  rendezvousFor(key: Uint8Array): Rendezvous
  /** Sign with this device's key. */
  sign: Sign
  /** We have to leave (the host removed us): the room service ends the meeting with this reason. */
  leaveMeeting(reason: string): void
}
