import { z } from 'zod'

const B64_32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes of base64url')

export const InviteRefusalCode = z.enum(['unknown', 'rate-limited', 'busy'])
export type InviteRefusalCode = z.infer<typeof InviteRefusalCode>

// ask (joiner -> member), then invite | refuse (member -> joiner).
export const Ask = z.object({ t: z.literal('ask'), v: z.literal(1), proof: B64_32 }).strict()
export const Answer = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invite'), invite: z.string().min(1).max(4096) }).strict(),
  z.object({ t: z.literal('refuse'), code: InviteRefusalCode, reason: z.string().max(300) }).strict()
])
