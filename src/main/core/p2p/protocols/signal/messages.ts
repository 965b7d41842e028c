import { z } from 'zod'
import { RoomId, SignalPayload } from '../../../../../shared/contract/rooms'

/** One signalling message: which room it belongs to, and the SDP or ICE candidate. */
export const SignalFrame = z.object({ room: RoomId, signal: SignalPayload }).strict()
export type SignalFrame = z.infer<typeof SignalFrame>
