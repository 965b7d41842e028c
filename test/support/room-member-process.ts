import { spawn, type ChildProcess } from 'node:child_process'
import { bundleForTest } from './bundle'
import { REPO_ROOT } from './host-process'

export interface ChildMember {
  readonly child: ChildProcess
  readonly peerId: string
  output(): string
  kill(signal?: NodeJS.Signals): Promise<void>
}

/** Start a room member in a child process and wait until it has joined. */
export async function spawnRoomMember(options: {
  seedHex: string
  displayName: string
  invite: string
  dir: string
  timeoutMs?: number
}): Promise<ChildMember> {
  const script = await bundleForTest('test/support/room-member-child.ts')
  const child = spawn(
    process.execPath,
    [script, '--seed', options.seedHex, '--display-name', options.displayName, '--invite', options.invite, '--dir', options.dir],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DYM_LOG: 'warn' } }
  )
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const peerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child member did not join within ${options.timeoutMs ?? 60_000} ms:\n${out}`)),
      options.timeoutMs ?? 60_000
    )
    child.stdout.on('data', () => {
      const m = /JOINED (\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child member exited (${code}) before joining:\n${out}`))
    })
  })
  return {
    child,
    peerId,
    output: () => out,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      await exited
    }
  }
}
