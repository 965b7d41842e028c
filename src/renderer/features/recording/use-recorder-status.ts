import { useSyncExternalStore } from 'react'
import type { MeetingRecorder, RecorderStatus } from './meeting-recorder'

const IDLE: RecorderStatus = { phase: 'idle', bytesSent: 0, savedMs: 0 }

/** A MeetingRecorder's status as React state (idle when there is no recorder). */
export function useRecorderStatus(recorder: MeetingRecorder | null): RecorderStatus {
  return useSyncExternalStore(
    (onChange) => (recorder ? recorder.onStatus(onChange) : () => undefined),
    () => recorder?.status ?? IDLE
  )
}
