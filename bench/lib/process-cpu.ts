import { readdirSync, readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100 // Linux USER_HZ

/** Every running process whose command line (NULs as spaces) matches, with that command line. */
export function processesMatching(match: (cmdline: string) => boolean): Array<{ pid: string; cmdline: string }> {
  const out: Array<{ pid: string; cmdline: string }> = []
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      if (match(cmdline)) out.push({ pid, cmdline })
    } catch {
      // the process ended while we looked
    }
  }
  return out
}

/** CPU seconds (user + system) used so far by all processes whose command line matches. */
export function cpuSecondsOf(match: (cmdline: string) => boolean): number {
  let ticks = 0
  for (const { pid } of processesMatching(match)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12]) // utime, stime
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / TICKS_PER_SECOND
}
