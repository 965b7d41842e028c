import { z } from 'zod'
import { RoomId } from '../../../../../shared/contract/rooms'
import { MAX_FILE_BYTES } from './constants'

/**
 * Frames of `/dym/file/1.0.0`. Each length-prefixed frame starts with one kind byte: 0 = a JSON
 * control frame below, 1 = file bytes. Control frames are strict: an unknown field is a bad frame.
 */
export const FRAME_CONTROL = 0
export const FRAME_DATA = 1

export const TransferIdText = z.string().regex(/^[0-9a-f-]{36}$/, 'a transfer id is a UUID')

export const RefuseCode = z.enum([
  'declined',
  'cancelled',
  'not-member',
  'busy',
  'rate-limited',
  'too-large',
  'size',
  'hash',
  'timeout',
  'failed',
  'protocol'
])
export type RefuseCode = z.infer<typeof RefuseCode>

export const OfferFrame = z
  .object({
    t: z.literal('offer'),
    v: z.literal(1),
    room: RoomId,
    id: TransferIdText,
    /** as the sender named it; the receiver cleans it before showing or using it */
    name: z.string().min(1).max(1024),
    size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    mime: z.string().max(200).optional()
  })
  .strict()
export type OfferFrame = z.infer<typeof OfferFrame>

export const ControlFrame = z.discriminatedUnion('t', [
  OfferFrame,
  z.object({ t: z.literal('accept') }).strict(),
  /** the sender's SHA-256 of every byte it sent, hex */
  z.object({ t: z.literal('end'), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  /** the receiver checked the hash and kept the file */
  z.object({ t: z.literal('done') }).strict(),
  z.object({ t: z.literal('refuse'), code: RefuseCode, reason: z.string().max(300) }).strict()
])
export type ControlFrame = z.infer<typeof ControlFrame>

export function tooLarge(size: number): boolean {
  return size > MAX_FILE_BYTES
}
