import { readdirSync, readFileSync } from 'node:fs'
import { processesMatching } from './process-cpu'

const TICKS_PER_SECOND = 100 // Linux USER_HZ

/**
 * CPU seconds (user + system) used so far by each thread name (Linux `comm`, e.g. Chromium's
 * "CrRendererMain", "DedicatedWorker") over all processes whose command line matches: where in
 * a browser a cost lands.
 */
export function cpuSecondsByThread(match: (cmdline: string) => boolean): Record<string, number> {
  const out: Record<string, number> = {}
  for (const { pid, cmdline } of processesMatching(match)) {
    try {
      const kind = /--type=(\S+)/.exec(cmdline)?.[1] ?? 'browser'
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        const key = `${kind}/${name}`
        out[key] = (out[key] ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
      }
    } catch {
      // the process or thread ended while we looked
    }
  }
  return out
}
