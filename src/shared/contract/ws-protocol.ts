import { z } from 'zod'

/**
 * Frames of the headless host's WebSocket, which carries the same contract as Electron IPC.
 * The frame is checked here; the request inside it is checked by the core like any other.
 */
export const WS_PATH = '/__dym/ws'
export const WS_BRIDGE_PATH = '/__dym/bridge.js'
export const WS_MAX_FRAME_BYTES = 8 * 1024 * 1024

/** Chosen by the caller; every frame that carries one is answered with it. */
export const WsRequestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const WsRequestFrame = z.object({
  type: z.literal('request'),
  id: WsRequestId,
  method: z.string().max(100),
  payload: z.unknown()
})
export type WsRequestFrame = z.infer<typeof WsRequestFrame>

export type WsServerFrame =
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: { code: string; message: string } }
  | { type: 'event'; event: string; payload: unknown }
