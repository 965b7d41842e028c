import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hostStack, reportEnv } from '../../nat/lab/host-stacks'

const children: ChildProcess[] = []
const dirs: string[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A Node process running `code` (which prints "up" when it is where the test wants it), with the lab's report settings. */
async function node(code: string): Promise<{ pid: number; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dym-stacks-'))
  dirs.push(dir)
  const child = spawn(process.execPath, ['-e', code], {
    env: { ...process.env, ...reportEnv(dir) },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve())
    child.once('exit', (c) => reject(new Error(`exited ${c}`)))
  })
  return { pid: child.pid!, dir }
}

describe('where a NAT-lab host is when a step fails', () => {
  it('a host whose loop runs gives its JavaScript stack; one stuck in a loop is said to be stuck, with its thread running', async () => {
    const idle = await node("console.log('up'); function waitingForPeers() { setTimeout(waitingForPeers, 50) } waitingForPeers()")
    expect(await hostStack(idle.pid, idle.dir)).toBe('its event loop is free (no JavaScript running)')

    // Pipes are written synchronously on Linux: "up" is out before the loop starts.
    const stuck = await node("setTimeout(() => { console.log('up'); for (;;) {} }, 10)")
    const said = await hostStack(stuck.pid, stuck.dir, 1_500)
    expect(said).toMatch(/^its event loop is stuck \(no report within 1500 ms\); main thread states seen: .*R/)
  }, 30_000)
})
