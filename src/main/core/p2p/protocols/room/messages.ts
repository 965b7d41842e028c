import { z } from 'zod'
import { ModerationAction, Notice, PeerIdText, RoomId, RoomRules } from '../../../../../shared/contract/rooms'
import { MAX_PRESENTATION_BYTES } from './constants'

/** 32 random bytes, base64url without padding. */
const Nonce = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a nonce is 32 bytes of base64url')
/** An HMAC-SHA256, base64url without padding. */
const Proof = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a proof is 32 bytes of base64url')
/** A random id of one running node, so a restarted peer's new session replaces its dead one. */
const Instance = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/)
const Reason = z.string().max(300)
const Addr = z.string().max(400)

/** Any JSON value, as long as it is small: checked by the identity service, not here. */
const Presentation = z.unknown().refine((v) => v !== undefined && JSON.stringify(v).length <= MAX_PRESENTATION_BYTES, {
  message: `a presentation is at most ${MAX_PRESENTATION_BYTES} bytes`
})

export const RefusalCodeSchema = z.enum([
  'not-member',
  'wrong-key',
  'identity',
  'not-listed',
  'declined',
  'no-host',
  'busy',
  'banned',
  'protocol'
])

// Handshake, in order: hello (I->R), challenge (R->I), auth (I->R), [wait (R->I)...], welcome (R->I), ready (I->R).
export const Hello = z.object({ t: z.literal('hello'), v: z.literal(1), room: RoomId, nonce: Nonce, instance: Instance }).strict()
export const Challenge = z.object({ t: z.literal('challenge'), nonce: Nonce, proof: Proof, instance: Instance }).strict()
export const Auth = z.object({ t: z.literal('auth'), proof: Proof, presentation: Presentation }).strict()
export const Wait = z.object({ t: z.literal('wait'), reason: Reason }).strict()
export const MemberAddress = z.object({ peerId: PeerIdText, addrs: z.array(Addr).max(8) }).strict()
export const RoomFacts = z
  .object({
    title: z.string().max(120),
    rules: RoomRules,
    creator: PeerIdText,
    members: z.array(MemberAddress).max(100),
    admitted: z.array(PeerIdText).max(200),
    coHosts: z.array(PeerIdText).max(50).optional(),
    locked: z.boolean().optional(),
    /** peers the host removed: nobody lets them back in */
    removed: z.array(PeerIdText).max(200).optional()
  })
  .strict()
export type RoomFacts = z.infer<typeof RoomFacts>
export type MemberAddress = z.infer<typeof MemberAddress>
export const Welcome = z.object({ t: z.literal('welcome'), presentation: Presentation, room: RoomFacts }).strict()
export const Ready = z.object({ t: z.literal('ready') }).strict()
export const Refuse = z.object({ t: z.literal('refuse'), code: RefusalCodeSchema, reason: Reason }).strict()

/** What the responder may send after `auth`. */
export const AfterAuth = z.discriminatedUnion('t', [Wait, Welcome, Refuse])
export const AfterHello = z.discriminatedUnion('t', [Challenge, Refuse])
export const AfterWelcome = z.discriminatedUnion('t', [Ready, Refuse])

// Session: after the handshake, both directions.
export const Heartbeat = z.object({ t: z.literal('hb') }).strict()
export const ChatFrame = z
  .object({
    t: z.literal('chat'),
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    sentAt: z.number().int().nonnegative(),
    text: z.string().min(1).max(4000)
  })
  .strict()
export const NoticeFrame = z.object({ t: z.literal('notice'), notice: Notice, at: z.number().int().nonnegative() }).strict()
/** Members this member is connected to, so everyone can reach everyone. */
/**
 * `dial`: the newcomer was not told about you when it joined (you came in at the same moment):
 * reach it now rather than wait for it to reach you. Only one of such a pair is asked.
 */
export const MembersFrame = z
  .object({ t: z.literal('members'), members: z.array(MemberAddress).max(100), dial: z.boolean().optional() })
  .strict()
/** The host of an ask-to-join room let someone in: the other members admit them too. */
export const AdmittedFrame = z.object({ t: z.literal('admitted'), peerId: PeerIdText }).strict()
export const LeaveFrame = z.object({ t: z.literal('leave') }).strict()
/** An Ed25519 signature, base64url without padding. */
const Signature = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'a signature is 64 bytes of base64url')
/** The host or a co-host moderating: signed by `by`'s device key over `canonicalModeration`. */
export const ModerateFrame = z
  .object({
    t: z.literal('moderate'),
    action: ModerationAction,
    by: PeerIdText,
    at: z.number().int().nonnegative(),
    nonce: Nonce,
    sig: Signature
  })
  .strict()
/** The host replaced the room key (after removing someone): sent only on its own session with each member. */
export const RekeyFrame = z
  .object({ t: z.literal('rekey'), key: Nonce, by: PeerIdText, at: z.number().int().nonnegative(), nonce: Nonce, sig: Signature })
  .strict()
export type ModerateFrame = z.infer<typeof ModerateFrame>
export type RekeyFrame = z.infer<typeof RekeyFrame>

export const SessionFrame = z.discriminatedUnion('t', [
  Heartbeat,
  ChatFrame,
  NoticeFrame,
  MembersFrame,
  AdmittedFrame,
  LeaveFrame,
  ModerateFrame,
  RekeyFrame
])
export type SessionFrame = z.infer<typeof SessionFrame>
export type ChatFrame = z.infer<typeof ChatFrame>
