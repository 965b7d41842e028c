import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

/** The lowest priority a process can have on Linux (nice 19). */
const LOWEST = os.constants.priority.PRIORITY_LOW

/**
 * Gives every thread of every process whose command line matches the lowest priority. Linux
 * keeps a nice value per thread, and new threads and processes take it from the one that makes
 * them, so a process tree set once stays low; calling it again catches what was made before.
 */
export function lowestPriority(match: (cmdline: string) => boolean): void {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!match(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))) continue
      for (const tid of readdirSync(`/proc/${pid}/task`)) os.setPriority(Number(tid), LOWEST)
    } catch {
      // the process or thread ended while we looked
    }
  }
}
