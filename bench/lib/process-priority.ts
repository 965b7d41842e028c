import { readdirSync } from 'node:fs'
import os from 'node:os'
import { processesMatching } from './process-cpu'

/** The lowest priority a process can have on Linux (nice 19). */
const LOWEST = os.constants.priority.PRIORITY_LOW

/**
 * Gives every thread of every process whose command line matches the lowest priority. Linux
 * keeps a nice value per thread, and new threads and processes take it from the one that makes
 * them, so a process tree set once mostly stays low. Calling it again catches what it missed:
 * processes started by something that was not yet low, and threads a program raised itself
 * (Chromium gives some of its threads a higher priority of its own).
 */
export function lowestPriority(match: (cmdline: string) => boolean): void {
  for (const { pid } of processesMatching(match)) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) setLowest(Number(tid))
    } catch {
      // the process ended while we looked
    }
  }
}

function setLowest(tid: number): void {
  try {
    os.setPriority(tid, LOWEST)
  } catch {
    // the thread ended while we looked; the process's other threads still go low
  }
}
