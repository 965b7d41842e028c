import { setTimeout as pause } from 'node:timers/promises'

/**
 * Read a value until it passes `ok` or `timeout` runs out; the error names `message` and the last
 * value read. What `expect.poll` does, without the vitest runner: the bench uses these steps too.
 */
export async function pollUntil<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  options: { timeout: number; message: string; interval?: number }
): Promise<T> {
  const until = Date.now() + options.timeout
  let last: T | undefined
  let error: unknown = null
  for (;;) {
    try {
      last = await read()
      error = null
      if (ok(last)) return last
    } catch (err) {
      error = err
    }
    if (Date.now() >= until) break
    await pause(options.interval ?? 250) // between reads of a real state, not instead of an event
  }
  const seen = error ? `the last read failed: ${String(error)}` : `last value ${JSON.stringify(last)}`
  throw new Error(`${options.message}: not so within ${options.timeout} ms (${seen})`)
}
