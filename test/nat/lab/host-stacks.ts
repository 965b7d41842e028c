import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as pause } from 'node:timers/promises'
import { childPids } from '../../support/procs'

/**
 * Where a lab host's main thread is when a step fails: a Node report of its JavaScript stack
 * (asked for with SIGUSR2), or, when none comes because its event loop is stuck in a long
 * JavaScript loop or a blocking call, what the kernel says that thread is doing (running = a
 * loop; sleeping in futex = a lock).
 */
export function reportEnv(dir: string): Record<string, string> {
  // No network section: it names each socket's peer through reverse DNS, queries that would leave the lab.
  return { NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-compact --report-exclude-network --report-directory=${dir}` }
}

export async function hostStack(launched: number, dir: string, waitMs = 3_000): Promise<string> {
  // Under an older system Node, bin/dym.mjs runs the host in a Node 22 child and waits for it.
  const pid = childPids(launched, 'node')[0] ?? launched
  const before = new Set(existsSync(dir) ? readdirSync(dir) : [])
  try {
    process.kill(pid, 'SIGUSR2')
  } catch {
    return 'it is not running'
  }
  const until = Date.now() + waitMs
  while (Date.now() < until) {
    const fresh = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && !before.has(f)) : []
    for (const file of fresh) {
      const stack = readStack(path.join(dir, file))
      if (stack) return stack
    }
    await pause(100) // the report is written by the host itself: poll its folder
  }
  return `its event loop is stuck (no report within ${waitMs} ms); main thread states seen: ${await threadStates(pid)}`
}

function readStack(file: string): string | null {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { javascriptStack?: { message?: string; stack?: string[] } }
    const stack = report.javascriptStack?.stack ?? []
    // A report taken while the loop waits has no JavaScript on the stack: the host is free.
    return stack.length > 0 ? `running:\n${stack.slice(0, 12).join('\n')}` : 'its event loop is free (no JavaScript running)'
  } catch {
    return null // still being written
  }
}

/** The main thread's scheduler state and wait channel, sampled a few times. */
async function threadStates(pid: number): Promise<string> {
  const seen = new Set<string>()
  for (let i = 0; i < 5; i++) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8')
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?'
      const wchan = readFileSync(`/proc/${pid}/task/${pid}/wchan`, 'utf8').trim()
      seen.add(wchan && wchan !== '0' ? `${state} ${wchan}` : state)
    } catch {
      seen.add('gone')
    }
    await pause(100) // samples of a changing state, not synchronisation
  }
  return [...seen].join(', ')
}
