import type { MethodName } from './index'

/**
 * How long a caller waits for the core's answer before giving up with an error (the WebSocket
 * bridge; Electron IPC cannot lose an answer). Long enough for the slowest honest case of each
 * method: most answer at once, a few wait on people or on ffmpeg.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

const SLOWER: Partial<Record<MethodName, number>> = {
  // An ask-to-join host has 2 minutes to let us in, after up to 20 s finding the meeting.
  'room.join': 180_000,
  // The login window waits 2 minutes for the phone.
  'identity.threefoldLogin.run': 150_000,
  // Finding ffmpeg runs it a few times; stopping, renaming and listing rewrite or probe files.
  'recording.start': 60_000,
  'recording.stop': 120_000,
  'recording.rename': 120_000,
  'recording.list': 120_000,
  // A piece of a file waits for the receiver's connection to take it (stalls end at 30 s).
  'file.chunk': 60_000
}

export function requestTimeoutMs(method: string): number {
  return SLOWER[method as MethodName] ?? DEFAULT_REQUEST_TIMEOUT_MS
}
