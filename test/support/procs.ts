import { readdirSync, readFileSync } from 'node:fs'

/** Children of `parent` whose command name is `name` (from /proc; Linux only). */
export function childPids(parent: number, name: string): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read past its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const ppid = Number(stat.slice(close + 2).split(' ')[1])
      if (ppid === parent && comm === name) out.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/**
 * Stop a child with `signal` and wait for it to exit; one that is still running after `graceMs`
 * is SIGKILLed (and the test's log says so), so a teardown never outlives its hook.
 */
export async function stopChild(
  child: { pid?: number; exitCode: number | null; signalCode: NodeJS.Signals | null; kill(signal: NodeJS.Signals): boolean },
  exited: Promise<void>,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited
  child.kill(signal)
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)))
  if ((await Promise.race([exited, late])) === 'late') {
    console.warn(`process ${child.pid} did not exit within ${graceMs} ms of ${signal}: killed`)
    child.kill('SIGKILL')
    await exited
  }
  clearTimeout(timer)
}
