export interface Ticker {
  stop(): void
}

/**
 * Calls `tick` `fps` times a second. The timer runs in a tiny worker because browsers throttle
 * a hidden page's own timers (and animation frames stop entirely), which would freeze the
 * recording whenever the window is minimised; a dedicated worker's timer is not throttled.
 * Falls back to the page's timer where workers cannot be made.
 */
export function createTicker(fps: number, tick: () => void): Ticker {
  const interval = Math.max(5, Math.round(1000 / fps))
  try {
    const source = `setInterval(() => postMessage(0), ${interval})`
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
    const worker = new Worker(url)
    let loaded = false
    let last = 0
    worker.onmessage = () => {
      if (!loaded) {
        loaded = true
        URL.revokeObjectURL(url) // only once the worker surely has it
      }
      // Ticks queue up while the page is busy; drawing each would keep it busy for good.
      const now = performance.now()
      if (now - last < interval * 0.75) return
      last = now
      tick()
    }
    return { stop: () => worker.terminate() }
  } catch {
    const timer = setInterval(tick, interval)
    return { stop: () => clearInterval(timer) }
  }
}
