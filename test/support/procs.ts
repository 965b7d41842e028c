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
