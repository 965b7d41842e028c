import { spawn, type ChildProcess } from 'node:child_process'
import { bundleForTest } from './bundle'
import { makeTempDir, REPO_ROOT, removeDir } from './host-process'
import { childPids, stopChild } from './procs'

export interface RelayProcess {
  readonly child: ChildProcess
  readonly peerId: string
  /** every address the relay printed, each ending in /p2p/<its peer id> */
  readonly addrs: string[]
  output(): string
  /** The coturn this relay supervises (0 when none runs right now). */
  turnPid(): number
  stop(): Promise<void>
}

/** Run `dym relay` (the real CLI, bundled from source) on loopback; resolves once it prints its addresses. */
export async function startRelay(
  args: string[] = ['--port', '0', '--listen', '/ip4/127.0.0.1/tcp/0', '--allow-private-addresses', '--no-turn'],
  options: { dataDir?: string; wrap?: string[] } = {}
): Promise<RelayProcess> {
  const cli = await bundleForTest('src/main/cli/dym.ts')
  const dataDir = options.dataDir ?? makeTempDir('dym-relay-')
  const ownDir = options.dataDir === undefined
  // `wrap`: run it through this command (the NAT lab: `ip netns exec NS`, which execs, so the pid stays the relay's).
  const [file, ...rest] = [...(options.wrap ?? []), process.execPath, cli, 'relay', '--data-dir', dataDir, ...args]
  const child = spawn(file!, rest, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DYM_LOG: 'warn' }
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start within 20 s:\n${out}`)), 20_000)
    child.stdout.on('data', () => {
      if (out.includes('Ready.')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited (${code}):\n${out}`))
    })
  })
  const addrs = out.split('\n').filter((l) => l.startsWith('/'))
  const peerId = /relay (\S+) listening/.exec(out)?.[1] ?? ''
  return {
    child,
    peerId,
    addrs,
    output: () => out,
    turnPid: () => (child.pid ? (childPids(child.pid, 'turnserver')[0] ?? 0) : 0),
    async stop() {
      await stopChild(child, exited)
      if (ownDir) removeDir(dataDir)
    }
  }
}
