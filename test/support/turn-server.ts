import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { makeTempDir, removeDir } from './host-process'

export interface TurnServer {
  readonly url: string
  readonly username: string
  readonly credential: string
  /** what settings / RTCConfiguration take */
  readonly iceServer: { urls: string; username: string; credential: string }
  /** kill it (every allocation is lost, as when a relay dies) */
  kill(): Promise<void>
  /** start it again on the same port */
  start(): Promise<void>
  stop(): Promise<void>
}

function hasTurnServer(): boolean {
  return spawnSync('turnserver', ['--help'], { stdio: 'ignore' }).error === undefined
}

/** Null when coturn is here; else prints, once per file, why its TURN tests are skipped. */
export function turnSkipReason(what: string): string | null {
  if (hasTurnServer()) return null
  const reason = 'no turnserver on PATH (apt-get install -y coturn)'
  console.log(`skipped: ${what} (${reason})`)
  return reason
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address() as AddressInfo
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/**
 * A coturn on loopback with one test user, for media that must go through a relay. Loopback
 * peers are allowed (everything here is on one machine); never a setting for a real server.
 */
export async function startTurnServer(): Promise<TurnServer> {
  const port = await freeUdpPort()
  const dir = makeTempDir('dym-turn-')
  const username = 'dymtest'
  const credential = 'dym-test-secret'
  const relayBase = 50000 + Math.floor(Math.random() * 10000)
  let child: ChildProcess | null = null
  let log = ''

  const start = async () => {
    log = ''
    const proc = spawn(
      'turnserver',
      [
        '-n',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${port}`,
        `--min-port=${relayBase}`,
        `--max-port=${relayBase + 200}`,
        '--lt-cred-mech',
        `--user=${username}:${credential}`,
        '--realm=dym.test',
        '--allow-loopback-peers',
        '--no-tls',
        '--no-dtls',
        '--no-cli',
        '--log-file=stdout',
        '--simple-log',
        `--userdb=${path.join(dir, 'turndb')}`,
        `--pidfile=${path.join(dir, 'turn.pid')}`
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    child = proc
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`turnserver did not start:\n${log}`)), 15_000)
      const onData = (d: Buffer) => {
        log += d.toString()
        if (log.includes('Total General servers')) {
          clearTimeout(timer)
          resolve()
        }
      }
      proc.stdout?.on('data', onData)
      proc.stderr?.on('data', onData)
      proc.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`turnserver exited with ${code}:\n${log}`))
      })
    })
  }
  const halt = async (signal: NodeJS.Signals) => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill(signal)
    await exited
  }
  await start()
  const url = `turn:127.0.0.1:${port}?transport=udp`
  return {
    url,
    username,
    credential,
    iceServer: { urls: url, username, credential },
    kill: () => halt('SIGKILL'),
    start,
    stop: async () => {
      await halt('SIGTERM')
      removeDir(dir)
    }
  }
}
