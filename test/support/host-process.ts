import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { stopChild } from './procs'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Test hosts meet on loopback only: no LAN announcements, no other interfaces. */
const LOOPBACK_ONLY = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
const READY = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/

export interface HostProcess {
  readonly url: string
  readonly origin: string
  readonly token: string
  readonly dataDir: string
  readonly child: ChildProcess
  /** Everything the host wrote to stderr (its log), for failure messages. */
  log(): string
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>
}

export interface StartHostOptions {
  dataDir?: string
  env?: Record<string, string>
  args?: string[]
  timeoutMs?: number
  /** Run it through this command (the NAT lab: `ip netns exec NS`); it must exec, so the pid stays the host's. */
  wrap?: string[]
  /** Listen on loopback only, without mDNS (default). The NAT lab's hosts listen as the app does. */
  loopbackOnly?: boolean
}

export function makeTempDir(prefix = 'dym-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Start `dym serve` on a free port with its own data dir; resolves once it prints its URL. */
export async function startHost(options: StartHostOptions = {}): Promise<HostProcess> {
  const dataDir = options.dataDir ?? makeTempDir('dym-host-')
  const network = options.loopbackOnly === false ? [] : LOOPBACK_ONLY
  const command = [
    process.execPath,
    path.join(REPO_ROOT, 'bin/dym.mjs'),
    'serve',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    ...network,
    ...(options.args ?? [])
  ]
  const [file, ...args] = [...(options.wrap ?? []), ...command]
  const child = spawn(file!, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, DYM_LOG: process.env.DYM_LOG ?? 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  let stdout = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Do not leave a slow host running behind a failed test.
      child.kill('SIGKILL')
      reject(new Error(`host did not print its URL within ${options.timeoutMs ?? 60_000} ms\n${stderr}`))
    }, options.timeoutMs ?? 60_000)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      const match = READY.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`host exited with ${code} before it was ready\n${stderr}`))
    })
  })
  const parsed = new URL(url)
  // Past the host's own 30 s stop grace: it cuts itself short first, and says so in its log.
  const waitExit = (signal: NodeJS.Signals) => stopChild(child, exited, signal, 35_000)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    child,
    log: () => stderr,
    stop: () => waitExit('SIGTERM'),
    kill: () => waitExit('SIGKILL')
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
