import { useSyncExternalStore } from 'react'
import type { RecorderStatus } from './meeting-recorder'

const IDLE: RecorderStatus = { phase: 'idle', bytesSent: 0, savedMs: 0 }

/** A recorder's status as React state (idle when there is no recorder). */
export function useRecorderStatus(
  recorder: { status: RecorderStatus; onStatus(listener: (s: RecorderStatus) => void): () => void } | null
): RecorderStatus {
  return useSyncExternalStore(
    (onChange) => (recorder ? recorder.onStatus(onChange) : () => undefined),
    () => recorder?.status ?? IDLE
  )
}
