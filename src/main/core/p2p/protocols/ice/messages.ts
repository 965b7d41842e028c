import { z } from 'zod'
import { PeerIdText } from '../../../../../shared/contract/rooms'

/** 32 bytes, base64url without padding: nonces, tags, keys, MACs. */
const B64_32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes of base64url')
const Reason = z.string().max(300)
const IceUrl = z
  .string()
  .max(256)
  .regex(/^(stun|turn|turns):/)

export const IceRefusalCode = z.enum([
  'unknown-meeting',
  'retired',
  'bad-proof',
  'not-allowed',
  'full',
  'rate-limited',
  'no-turn',
  'busy',
  'protocol'
])
export type IceRefusalCode = z.infer<typeof IceRefusalCode>

// In order: ask (M->R), challenge (R->M), prove (M->R), servers | refuse (R->M).
export const Ask = z.object({ t: z.literal('ask'), v: z.literal(1), tag: B64_32 }).strict()
/** `known`: the relay has this meeting already; if not, `prove` must carry the derived key. */
export const Challenge = z.object({ t: z.literal('challenge'), nonce: B64_32, known: z.boolean() }).strict()
/** Co-hosts the host names to a relay, at most: they may retire the meeting's key there too. */
export const MAX_DEPUTIES = 8
/**
 * `retire`: the meeting's previous key (its tag, and the same proof made with it). The device
 * that named the meeting to this relay (or a deputy it named) sends it when it replaced the room
 * key (someone was removed): the relay then refuses the old key, so the removed person gets no
 * more credentials. `deputies`: from the device that named the meeting, the co-hosts who may
 * retire its key here too (a co-host removes someone after the host left); from anyone else,
 * ignored. Sent only when there are any.
 */
export const Prove = z
  .object({
    t: z.literal('prove'),
    proof: B64_32,
    key: B64_32.optional(),
    retire: z.object({ tag: B64_32, proof: B64_32 }).strict().optional(),
    deputies: z.array(PeerIdText).min(1).max(MAX_DEPUTIES).optional()
  })
  .strict()
export const IceServerEntry = z
  .object({
    urls: z.array(IceUrl).min(1).max(8),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional()
  })
  .strict()
export const Servers = z
  .object({
    t: z.literal('servers'),
    iceServers: z.array(IceServerEntry).min(1).max(4),
    /** ms since the epoch (the relay's clock) */
    expiresAt: z.number().int().positive(),
    /** seconds the credential lives: the client schedules its refresh from this, not from clocks */
    ttl: z
      .number()
      .int()
      .positive()
      .max(7 * 24 * 3600)
  })
  .strict()
export const Refuse = z.object({ t: z.literal('refuse'), code: IceRefusalCode, reason: Reason }).strict()

export const AfterAsk = z.discriminatedUnion('t', [Challenge, Refuse])
export const AfterProve = z.discriminatedUnion('t', [Servers, Refuse])
export type Servers = z.infer<typeof Servers>
export type IceServerEntry = z.infer<typeof IceServerEntry>
