import { z } from 'zod'

/**
 * The engine's own channel between two peer connections (an RTCDataChannel negotiated on both
 * sides, so it costs no extra round trip). It carries what only the two media ends care about:
 * which of my streams is my camera and which my screen, "stop sending me this video, it is not
 * on my screen" and "my tile of it is this big", whether I am muted (so a tile is right even
 * before the room says so), and "ask me for a key frame" (I record what I send you). Bounded and
 * validated like everything that comes from a peer.
 */
export const CONTROL_LABEL = 'dym-control'
export const CONTROL_CHANNEL_ID = 0
const MAX_MESSAGE_BYTES = 1024

const StreamId = z.string().min(1).max(128)
const Pixels = z.number().int().min(1).max(8192)

export const ControlMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('streams'), camera: StreamId, screen: StreamId.nullable() }),
  z.object({ t: z.literal('want'), role: z.enum(['camera', 'screen']), on: z.boolean() }),
  /** my tile of your video is this big (device pixels): send no more than that */
  z.object({ t: z.literal('size'), role: z.enum(['camera', 'screen']), width: Pixels, height: Pixels }),
  /** my microphone / camera state, straight to the other media end (the room hears it too, by notice) */
  z.object({ t: z.literal('media'), muted: z.boolean(), cameraOff: z.boolean() }),
  /** I record my camera as this link sends it to you: have your receiver ask my encoder for a key frame */
  z.object({ t: z.literal('key-frame') })
])
export type ControlMessage = z.infer<typeof ControlMessage>

export function parseControlMessage(data: unknown): ControlMessage | null {
  if (typeof data !== 'string' || data.length > MAX_MESSAGE_BYTES) return null
  try {
    const parsed = ControlMessage.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
