import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { bundleForTest } from '../../support/bundle'
import { REPO_ROOT } from '../../support/host-process'

/** Start the child whose stop never ends; resolves once its signal handlers are in place. */
async function startStuck(graceMs: number) {
  const script = await bundleForTest('test/support/stopping-child.ts')
  const child = spawn(process.execPath, [script, String(graceMs)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  )
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('READY') && resolve())
    void exited.then(() => reject(new Error(`exited before it was ready:\n${out}`)))
  })
  return { child, exited, output: () => out }
}

describe('stopping the relay or the headless host (Ctrl-C, SIGTERM)', () => {
  it('a stop that hangs is cut short after the grace and says so, instead of leaving the process running', async () => {
    const stuck = await startStuck(300)
    stuck.child.kill('SIGTERM')
    expect(await stuck.exited).toEqual({ code: 1, signal: null })
    expect(stuck.output()).toMatch(/the stop took over 300 ms: exiting anyway/)
  })

  it('a second Ctrl-C exits at once', async () => {
    const stuck = await startStuck(600_000)
    stuck.child.kill('SIGINT')
    await expect.poll(() => stuck.output()).toMatch(/SIGINT: stopping/)
    stuck.child.kill('SIGINT')
    expect(await stuck.exited).toEqual({ code: 1, signal: null })
    expect(stuck.output()).toMatch(/SIGINT again: exiting without finishing the stop/)
  })
})
