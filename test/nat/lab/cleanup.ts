import { readdirSync } from 'node:fs'
import { LAB_NS_PREFIX, removeNamespace } from './network'
import { sh } from './shell'

/**
 * Every namespace this process made, removed on the way out, also when a test fails or the
 * process is interrupted; and a sweep, first thing in every run, of namespaces left by a run
 * that could not clean up (SIGKILL, power cut): their names carry the pid of a process gone.
 */
const mine = new Set<string>()
let hooked = false

export function track(ns: string): void {
  mine.add(ns)
  hookExit()
}

export function release(ns: string): void {
  removeNamespace(ns)
  mine.delete(ns)
}

export function releaseAll(): void {
  for (const ns of [...mine].reverse()) release(ns)
}

function hookExit(): void {
  if (hooked) return
  hooked = true
  process.once('exit', releaseAll)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      releaseAll()
      process.kill(process.pid, signal)
    })
  }
}

/** Remove namespaces (and their /etc/netns files) of lab runs whose process is gone. */
export function sweepStaleLabs(): string[] {
  const names = new Set(
    sh('ip', ['netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(LAB_NS_PREFIX))
  )
  try {
    for (const entry of readdirSync('/etc/netns')) if (entry.startsWith(LAB_NS_PREFIX)) names.add(entry)
  } catch {
    // no /etc/netns yet
  }
  const removed: string[] = []
  for (const ns of names) {
    const pid = Number(/^dymlab-(\d+)-/.exec(ns)?.[1])
    if (pid === process.pid || (pid && isAlive(pid))) continue
    removeNamespace(ns)
    removed.push(ns)
  }
  return removed
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
