import { spawn, type ChildProcess } from 'node:child_process'
import { bundleForTest } from './bundle'
import { makeTempDir, REPO_ROOT, removeDir } from './host-process'

export interface MemoryFigures {
  rss: number
  heapUsed: number
  external: number
  arrayBuffers: number
}

export interface FuzzHost {
  readonly child: ChildProcess
  readonly port: number
  readonly token: string
  readonly origin: string
  /** The host's memory after a full GC. */
  memory(): Promise<MemoryFigures>
  output(): string
  stop(): Promise<void>
}

/** The core and headless host in a child process (fuzz-host-child.ts) whose memory a test can read. */
export async function startFuzzHost(timeoutMs = 60_000): Promise<FuzzHost> {
  const script = await bundleForTest('test/support/fuzz-host-child.ts')
  const dir = makeTempDir('dym-fuzz-host-')
  const child = spawn(process.execPath, ['--expose-gc', script, '--dir', dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, DYM_LOG: 'warn' }
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const [port, token] = await new Promise<[number, string]>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`fuzz host did not start within ${timeoutMs} ms:\n${out}`))
    }, timeoutMs)
    child.stdout?.on('data', () => {
      const m = /READY (\d+) (\S+)/.exec(out)
      if (m?.[1] && m[2]) {
        clearTimeout(timer)
        resolve([Number(m[1]), m[2]])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`fuzz host exited (${code}) before it was ready:\n${out}`))
    })
  })
  return {
    child,
    port,
    token,
    origin: `http://127.0.0.1:${port}`,
    output: () => out,
    memory: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the fuzz host did not report its memory')), 30_000)
        child.once('message', (m) => {
          clearTimeout(timer)
          resolve(m as MemoryFigures)
        })
        child.send('memory')
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(killer)
      removeDir(dir)
    }
  }
}
