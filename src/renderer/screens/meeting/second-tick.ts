import { useSyncExternalStore } from 'react'

/**
 * One tick for every running time on the meeting screen (how long we have been in the meeting,
 * how long our recording has run): they all change in the same frame, once a wall-clock second,
 * so the page restyles and redraws once a second rather than once per clock. On a machine
 * without a GPU each redraw of the meeting is measurable CPU, and a recording's clock ticking
 * out of step with the meeting's doubled the redraws for as long as it ran.
 */
const listeners = new Set<() => void>()
let now = Date.now()
let timer: ReturnType<typeof setTimeout> | null = null

function schedule(): void {
  // A few ms after each whole wall-clock second: every clock on the page changes at that moment.
  timer = setTimeout(
    () => {
      now = Date.now()
      for (const listener of listeners) listener()
      schedule()
    },
    1000 - (Date.now() % 1000) + 5
  )
}

/** Calls `listener` at every tick (all listeners in the same one); answers the unsubscribe. */
export function onSecondTick(listener: () => void): () => void {
  listeners.add(listener)
  if (!timer) {
    now = Date.now()
    schedule()
  }
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && timer) {
      clearTimeout(timer)
      timer = null
    }
  }
}

/** The time (ms since the epoch) as of the page's last second tick. */
export function useSecondTick(): number {
  return useSyncExternalStore(onSecondTick, () => now)
}

/** "0:07", "12:34", "1:02:03": a running time as people read it. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  const mm = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.padStart(5, '0')}` : mm
}
