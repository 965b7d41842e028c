import { z } from 'zod'
import { method, Ok } from './define'
import { PersonView, ThreeBotName } from './people'
import { ConsentAck, ConsentId } from './recording'
import { IceServer } from './settings'

/** A room id: hex of a hash of the room key (never the key itself). */
export const RoomId = z.string().regex(/^[0-9a-f]{64}$/, 'a room id is 64 hex characters')
export const PeerIdText = z.string().min(10).max(100)

/** Who may join: anyone holding the invite, only listed 3Bot names, or whoever the creator lets in. */
export const RoomRules = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('open') }),
  z.object({ mode: z.literal('listed'), names: z.array(ThreeBotName).max(200) }),
  z.object({ mode: z.literal('ask') })
])
export type RoomRules = z.infer<typeof RoomRules>

export const Route = z.enum(['direct', 'relayed', 'connecting', 'unreachable'])

export const Member = PersonView.extend({
  route: Route,
  /** presence as the room protocol last saw it: `away` while a dropped link is being redialled */
  presence: z.enum(['present', 'away', 'gone']),
  /** why a `gone` member went: said goodbye, went silent / unreachable, or was removed */
  goneReason: z.enum(['left', 'timed-out', 'removed']).optional(),
  muted: z.boolean().default(false),
  cameraOff: z.boolean().default(false),
  handRaised: z.boolean().default(false),
  isCreator: z.boolean().default(false),
  /** the host made them a co-host: they may moderate too */
  isCoHost: z.boolean().default(false),
  /** already in the meeting when we arrived: their arrival is not news to us */
  wasHere: z.boolean().optional(),
  /**
   * Who dialled the live meeting link with them (both sides agree): the one that dialled makes
   * the first WebRTC offer, the other waits for it. Absent while no link is up.
   */
  linkedBy: z.enum(['us', 'them']).optional()
})
export type Member = z.infer<typeof Member>

export const RoomView = z.object({
  roomId: RoomId,
  title: z.string().max(120),
  invite: z.string().max(4096),
  /** the invite's short form, to read out: `XXXX-XXXX-XX` (it changes when the room key does) */
  inviteCode: z.string().max(16),
  rules: RoomRules,
  self: Member,
  members: z.array(Member).max(100),
  /** Everyone recording this meeting now, in the order they started (several may record at once). */
  recorders: z.array(PersonView).max(100).default([]),
  /**
   * The running recordings that ask each member's consent (a recorder's own request, as its
   * notice told it): whoever comes in while one runs is asked too.
   */
  consentRequests: z
    .array(z.object({ id: ConsentId, recorder: z.string().max(100) }))
    .max(100)
    .default([]),
  /** The host locked the meeting: nobody new gets in. */
  locked: z.boolean().default(false),
  joinedAt: z.number().int(),
  /**
   * Members the one who let us in listed, whose link is not up yet (we are dialling them): the
   * call may make its offers to them meanwhile.
   */
  expected: z.array(PeerIdText).max(20).default([])
})
export type RoomView = z.infer<typeof RoomView>

/** WebRTC signalling between two members, carried by /dym/signal/1.0.0. */
export const SignalPayload = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('description'),
    description: z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(64 * 1024) })
  }),
  z.object({
    kind: z.literal('candidate'),
    // null = end of candidates
    candidate: z
      .object({
        candidate: z.string().max(1024),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional()
      })
      .nullable()
  }),
  // The polite side wants fresh ICE: it asks, and only the impolite side restarts, so two
  // restarts never collide (a restart glare left Chromium sending on a pair the other end had
  // not validated, and video stalled).
  // `ufrag`: the impolite side's ICE username the asker still sees; a restart since answers it.
  z.object({ kind: z.literal('restart'), ufrag: z.string().max(256).nullable() })
])
export type SignalPayload = z.infer<typeof SignalPayload>

export const ChatMessage = z.object({
  id: z.string().max(64),
  roomId: RoomId,
  from: PersonView,
  text: z.string().min(1).max(4000),
  /** sender's clock, ms since epoch */
  sentAt: z.number().int(),
  /** per-sender sequence number, for ordering and de-duplication */
  seq: z.number().int().nonnegative()
})
export type ChatMessage = z.infer<typeof ChatMessage>

/** Things a member tells the whole room. */
export const Notice = z.discriminatedUnion('kind', [
  /** consent: what members answer (recording.consent-answer), for recordings that ask */
  z.object({ kind: z.literal('recording-started'), consent: z.object({ id: ConsentId, recorder: z.string().max(100) }).optional() }),
  /** a member's signed answer to a recording (checked by the recorder's core) */
  z.object({ kind: z.literal('recording-consent'), ack: ConsentAck }),
  z.object({ kind: z.literal('recording-stopped') }),
  z.object({ kind: z.literal('hand'), raised: z.boolean() }),
  z.object({ kind: z.literal('media'), muted: z.boolean(), cameraOff: z.boolean() }),
  z.object({ kind: z.literal('reaction'), emoji: z.string().max(16) }),
  z.object({ kind: z.literal('screen-share'), active: z.boolean() })
])
export type Notice = z.infer<typeof Notice>

/**
 * What the host (or a co-host) may do to the meeting. Each is signed by their device key and
 * checked by every member's app; anyone else's is refused.
 */
export const ModerationAction = z.discriminatedUnion('kind', [
  /** their app mutes their microphone and tells them */
  z.object({ kind: z.literal('mute'), peerId: PeerIdText }),
  /** their app asks them to unmute (never unmutes by itself) */
  z.object({ kind: z.literal('ask-unmute'), peerId: PeerIdText }),
  z.object({ kind: z.literal('mute-all') }),
  /** out of the meeting; the room key is replaced, so the old invite does not let them back */
  z.object({ kind: z.literal('remove'), peerId: PeerIdText }),
  z.object({ kind: z.literal('lock'), locked: z.boolean() }),
  /** only the host makes co-hosts */
  z.object({ kind: z.literal('co-host'), peerId: PeerIdText, granted: z.boolean() })
])
export type ModerationAction = z.infer<typeof ModerationAction>

/** STUN/TURN from the meeting's relays, with credentials that live until `expiresAt`. */
export const MeetingIceServers = z.object({
  roomId: RoomId,
  iceServers: z.array(IceServer).max(16),
  /** how many relays the meeting names, and how many gave us servers */
  relays: z.number().int().min(0).max(16),
  answered: z.number().int().min(0).max(16)
})
export type MeetingIceServers = z.infer<typeof MeetingIceServers>

/**
 * Whether people outside our network can reach this device, from the p2p node's view (AutoNAT,
 * the addresses others see us on, relay reservations). `text` is said to the user as is.
 */
export const Reachability = z.object({
  kind: z.enum(['direct', 'relay', 'no-relay', 'relay-unreachable', 'unknown']),
  text: z.string().max(300)
})
export type Reachability = z.infer<typeof Reachability>

export const roomMethods = {
  'room.create': method(z.object({ title: z.string().trim().max(120).default(''), rules: RoomRules.default({ mode: 'open' }) }), RoomView),
  /**
   * Pre-join: open the connections to the invite's members now, while the user checks camera and
   * microphone, so that Join has only the room handshake left. Says nothing to anyone: the meeting
   * does not see us until room.join. `reachable`: at least one of them answered; `roomId`: the
   * invite's; `self`: our own member id; `members`: the ones that answered (the call may make
   * its offers to them while Join is on its way); `relays`: the meeting has relays, whose TURN
   * the first offer waits for.
   */
  'room.preconnect': method(
    z.object({ invite: z.string().min(1).max(4096) }),
    z.object({
      reachable: z.boolean(),
      roomId: RoomId.optional(),
      self: PeerIdText.optional(),
      members: z.array(PeerIdText).max(12).optional(),
      relays: z.boolean().optional()
    })
  ),
  /**
   * The full invite of the meeting with this short code: asked of members on the LAN, peers we are
   * connected to, and those the DHT names for the code. `not-found` when nobody answers in time.
   */
  'room.find-invite': method(z.object({ code: z.string().min(1).max(40) }), z.object({ invite: z.string().max(4096) })),
  /** Join from an invite link or its pasted text. */
  'room.join': method(z.object({ invite: z.string().min(1).max(4096) }), RoomView),
  'room.leave': method(z.object({ roomId: RoomId }), Ok),
  'room.current': method(z.object({}).strict(), RoomView.nullable()),
  /** Creator answers an ask-to-join request. */
  'room.admit': method(z.object({ roomId: RoomId, peerId: PeerIdText, admit: z.boolean() }), Ok),
  /** The host or a co-host moderates: `denied` for anyone else. */
  'room.moderate': method(z.object({ roomId: RoomId, action: ModerationAction }), Ok),
  'signal.send': method(z.object({ roomId: RoomId, to: PeerIdText, signal: SignalPayload }), Ok, { maxBytes: 80 * 1024 }),
  'chat.send': method(z.object({ roomId: RoomId, text: z.string().trim().min(1).max(4000) }), ChatMessage),
  'chat.history': method(z.object({ roomId: RoomId }), z.array(ChatMessage).max(10_000)),
  'notice.send': method(z.object({ roomId: RoomId, notice: Notice }), Ok),
  /**
   * The meeting's STUN/TURN servers (from its relays, fresh credentials), for the call's peer
   * connections; waits a few seconds for the first answer. `room.ice-servers` tells of renewals.
   */
  'room.iceServers': method(z.object({ roomId: RoomId }), MeetingIceServers),
  /** Can people outside our network reach us: directly, only through a relay, or not at all. */
  'network.reachability': method(z.object({}).strict(), Reachability)
}

export const roomEvents = {
  /** The whole room view, whenever anything in it changes (members, routes, rules, recording). */
  'room.updated': RoomView,
  'room.ended': z.object({ roomId: RoomId, reason: z.string().max(300) }),
  /** Our join was refused: the reason is shown to the user as is. `code` lets the UI offer the right next step. */
  'room.refused': z.object({
    roomId: RoomId.optional(),
    code: z.enum(['not-member', 'wrong-key', 'identity', 'not-listed', 'declined', 'no-host', 'busy', 'banned', 'protocol']).optional(),
    reason: z.string().max(300)
  }),
  /** Our join is waiting for the host of an ask-to-join room to decide (room.join is still pending). */
  'room.waiting': z.object({ roomId: RoomId, reason: z.string().max(300) }),
  /** Someone asks to join an ask-to-join room we created. */
  'room.join-request': z.object({ roomId: RoomId, person: PersonView }),
  /** The host or a co-host moderated (checked: signed by them, and they may). Our app acts on what concerns us. */
  'room.moderated': z.object({ roomId: RoomId, by: PersonView, action: ModerationAction }),
  /** The meeting's ICE servers changed (renewed credentials, a relay answered or its credential ran out). */
  'room.ice-servers': MeetingIceServers,
  'signal.received': z.object({ roomId: RoomId, from: PeerIdText, signal: SignalPayload }),
  'chat.message': ChatMessage,
  'notice.received': z.object({ roomId: RoomId, from: PersonView, notice: Notice, at: z.number().int() })
}
