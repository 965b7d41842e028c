import { useCallback, useRef, useSyncExternalStore } from 'react'
import type { RecorderStatus } from './meeting-recorder'

/**
 * What a screen shows of a recorder: its status without the progress counters. Those change
 * with every batch the core accepts (twice a second), and a screen that re-rendered on each would
 * redraw the whole meeting that often for as long as it records.
 */
export type RecorderView = Omit<RecorderStatus, 'bytesSent' | 'savedMs'>

const IDLE: RecorderView = { phase: 'idle' }

function viewOf(status: RecorderStatus): RecorderView {
  const { bytesSent: _sent, savedMs: _saved, ...view } = status
  return view
}

function sameView(a: RecorderView, b: RecorderView): boolean {
  const keys = Object.keys(a) as Array<keyof RecorderView>
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}

/** A recorder's status as React state (idle when there is no recorder); it changes only when what it shows does. */
export function useRecorderStatus(
  recorder: { status: RecorderStatus; onStatus(listener: (s: RecorderStatus) => void): () => void } | null
): RecorderView {
  const last = useRef<RecorderView>(IDLE)
  const subscribe = useCallback((onChange: () => void) => (recorder ? recorder.onStatus(onChange) : () => undefined), [recorder])
  return useSyncExternalStore(subscribe, () => {
    const view = recorder ? viewOf(recorder.status) : IDLE
    if (!sameView(view, last.current)) last.current = view
    return last.current
  })
}
