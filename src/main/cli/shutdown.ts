import type { Logger } from '../core/log'

/** A clean stop that takes longer than this is cut short: people and supervisors do not wait. */
export const SHUTDOWN_GRACE_MS = 8_000

/**
 * Stop on SIGINT/SIGTERM: run `stop` (all of it, even when a part of it fails), then exit. A stop
 * that hangs (a libp2p connection that never finishes closing, say) is cut short after the grace,
 * and a second signal exits at once, as people expect of a second Ctrl-C.
 */
export function stopOnSignals(stop: () => Promise<void>, log: Logger, graceMs = SHUTDOWN_GRACE_MS): void {
  let closing = false
  const shutdown = (signal: string) => {
    if (closing) {
      log.warn(`${signal} again: exiting without finishing the stop`)
      process.exit(1)
    }
    closing = true
    log.info(`${signal}: stopping`)
    const cut = setTimeout(() => {
      log.warn(`the stop took over ${graceMs} ms: exiting anyway`)
      process.exit(1)
    }, graceMs)
    stop()
      .catch((err: unknown) => log.warn('the stop failed', err))
      .finally(() => {
        clearTimeout(cut)
        process.exit(0)
      })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}
