import { peerIdFromString } from '@libp2p/peer-id'
import type { Invite, InviteRelay } from '../../../shared/invite'
import type { ServiceContext } from '../service'
import { dialFastest } from './fastest-dial'
import { mergeRelays, withRelayRoutes } from './invite-addrs'
import { addrsByPeer, JoinRace } from './join-race'
import type { Meeting } from './meeting'
import type { RememberedMeeting } from './meeting-memory'
import type { RoomNode } from './room-node'
import type { MeetingTuning } from './tuning'

/** A pre-join connection that has not opened by then is left to room.join's own dial. */
const PRECONNECT_TIMEOUT_MS = 10_000
/** An invite names the host and a few members; more than this is not worth a connection each. */
const PRECONNECT_MAX_PEERS = 8
/** mDNS answers within moments of start-up: give the LAN a little while before a join gives up. */
const LAN_GRACE_MS = 2_000

/** An open libp2p connection to this peer (any transport, relayed or not). */
export function connectedTo(running: RoomNode, peer: string): boolean {
  return running.node.getConnections(peerIdFromString(peer)).some((c) => c.status === 'open')
}

/**
 * Connect to the invite's members before the user presses Join (libp2p connections only, no
 * room protocol): room.join then finds the connections open, which saves it the transport and
 * Noise handshakes (0.2-0.9 s each on a busy machine).
 */
export async function preconnectInvite(
  running: RoomNode,
  invite: Invite,
  ownRelays: readonly InviteRelay[]
): Promise<{ reached: string[]; relays: boolean }> {
  const signal = AbortSignal.timeout(PRECONNECT_TIMEOUT_MS)
  const relays = mergeRelays(invite.relays, ownRelays)
  const routes = withRelayRoutes(addrsByPeer(invite.addrs, running.selfId), relays)
  const peers = [...routes].slice(0, PRECONNECT_MAX_PEERS)
  const dials = await Promise.allSettled(peers.map(([peer, addrs]) => dialFastest(running.node, peer, addrs, { signal })))
  return { reached: peers.filter((_, i) => dials[i]!.status === 'fulfilled').map(([peer]) => peer), relays: relays.length > 0 }
}

export interface JoinAttempts {
  running: RoomNode
  meeting: Meeting
  invite: Invite
  /** what we remember of this meeting from an earlier visit */
  remembered: RememberedMeeting | null
  /** the meeting's relays (the invite's and ours): each invite member is tried through them too */
  relays: readonly InviteRelay[]
  tuning: MeetingTuning
  /** look on the LAN too (mDNS on) */
  lan: boolean
  emit: ServiceContext['emit']
  log: ServiceContext['log']
}

/**
 * Every way into the meeting at once, raced: the invite's members (directly and through the
 * meeting's relays), the LAN, peers the node already knows, the members we were last linked to
 * here, and the meeting's rendezvous in the DHT. The first member to welcome us wins.
 */
export function raceIntoMeeting(o: JoinAttempts): JoinRace {
  const { running, meeting } = o
  const race = new JoinRace({
    deadlineMs: o.tuning.joinDeadlineMs,
    reachDeadlineMs: o.tuning.reachDeadlineMs,
    reached: (peers) => peers.some((p) => connectedTo(running, p)),
    signal: meeting.closed,
    onLateSession: (s) => meeting.attach(s),
    onAttemptFailed: (peer, err) => o.log.debug(`join: no way in through ${peer.slice(-8)}: ${describe(err)}`)
  })
  const onWait = (reason: string) => o.emit('room.waiting', { roomId: meeting.roomId, reason })
  for (const [peer, addrs] of withRelayRoutes(addrsByPeer(o.invite.addrs, running.selfId), o.relays))
    race.attempt(peer, (signal) => meeting.links.dial(addrs, signal, onWait))
  if (o.lan) setTimeout(race.source(), LAN_GRACE_MS).unref?.()
  for (const peer of running.discovery.knownPeers()) race.attempt(peer.toString(), (signal) => meeting.links.dial(peer, signal, onWait))
  // The members we were last linked to in this meeting, if we were in it: they may be in it again.
  for (const m of o.remembered?.members ?? []) {
    if (m.peerId !== running.selfId) race.attempt(m.peerId, (signal) => meeting.links.dialAt(m.peerId, m.addrs, signal, onWait))
  }
  const dhtDone = race.source()
  const lookup = AbortSignal.any([meeting.closed, AbortSignal.timeout(o.tuning.joinDeadlineMs)])
  void meeting.rendezvous
    .find(lookup, (peer) => race.attempt(peer.toString(), (signal) => meeting.links.dial(peer, signal, onWait)))
    .finally(dhtDone)
  return race
}

function describe(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(describe).join('; ')
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}
