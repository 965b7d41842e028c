import { readFileSync } from 'node:fs'

/**
 * CPU and memory of another process, read from /proc (Linux only: the bench machines). CPU is
 * user + system time in seconds; RSS in MiB.
 */
const TICKS_PER_SECOND = 100 // getconf CLK_TCK on Linux x86-64 and arm64

export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return null
  }
}

export function rssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1]
    return kb ? Number(kb) / 1024 : null
  } catch {
    return null
  }
}

/** Samples a process's RSS every `everyMs` until stopped; keeps every sample with its time. */
export function sampleRss(pid: number, everyMs = 250): { stop(): Array<{ at: number; mib: number }> } {
  const samples: Array<{ at: number; mib: number }> = []
  const take = () => {
    const mib = rssMiB(pid)
    if (mib !== null) samples.push({ at: Date.now(), mib })
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      return samples
    }
  }
}
