import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import os from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { lowestPriority } from '../../../bench/lib/process-priority'

const children: Array<ReturnType<typeof spawn>> = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** A node process with a worker thread running, its command line carrying `marker`. */
async function twoThreads(marker: string): Promise<number> {
  const script = `const { Worker } = require('node:worker_threads');
    new Worker('setInterval(() => {}, 1000)', { eval: true }).on('online', () => console.log('ready'));
    setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['-e', script, marker], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const ended = new Promise<never>((_, reject) =>
    child.once('exit', () => reject(new Error('the process with two threads ended before it was ready')))
  )
  ended.catch(() => undefined) // once it is ready, its end (the kill after the test) is expected
  await Promise.race([once(child.stdout!, 'data'), ended])
  return child.pid!
}

const threadsOf = (pid: number) => readdirSync(`/proc/${pid}/task`).map(Number)

describe.runIf(process.platform === 'linux')('lowestPriority (the bench puts the other participants behind the recorder)', () => {
  it('gives every thread of every matching process nice 19, and leaves other processes alone', async () => {
    const marker = `marker-${randomBytes(4).toString('hex')}`
    const [low, other] = await Promise.all([twoThreads(marker), twoThreads('someone-else')])
    expect(threadsOf(low).length).toBeGreaterThan(1)
    const ours = os.getPriority(process.pid)

    lowestPriority((cmdline) => cmdline.includes(marker))

    for (const tid of threadsOf(low)) expect(os.getPriority(tid)).toBe(19)
    for (const tid of threadsOf(other)) expect(os.getPriority(tid)).toBe(ours)
    expect(os.getPriority(process.pid)).toBe(ours)
  })
})
