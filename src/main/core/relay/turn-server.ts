import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../log'
import { coturnConfigFile, iceServersFor, type IceServerEntry, type TurnConfig } from './turn-config'
import { newTurnSecret, turnCredential } from './turn-credentials'
import { stunBinding } from './stun-probe'

export type TurnState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped'

export interface TurnServerOptions {
  /** The `turnserver` binary (see findTurnServer). */
  binary: string
  /** A folder of its own for coturn's config, pid file and database; removed at stop. */
  workDir: string
  config: TurnConfig
  log: Logger
  /** How long a credential lives. */
  credentialTtlSeconds: number
  /** Restarts allowed within `restartWindowMs` before the relay gives up on TURN. */
  maxRestarts?: number
  restartWindowMs?: number
  startTimeoutMs?: number
}

export interface IceServers {
  iceServers: IceServerEntry[]
  /** ms since the epoch: ask again before this */
  expiresAt: number
}

const LOG_LINES_KEPT = 60

/**
 * One coturn, started and supervised by `dym relay`. It answers STUN and TURN (UDP, TCP, and TLS
 * when a certificate is given) with TURN REST credentials under a secret made for this run.
 * If coturn dies it is started again (with the same secret, so credentials already handed out
 * keep working), a bounded number of times; then TURN is reported failed and no credentials
 * are given out. It stops with the relay.
 */
export class TurnServer {
  private readonly secret = newTurnSecret()
  private child: ChildProcess | null = null
  private stateNow: TurnState = 'stopped'
  private restarts: number[] = []
  private readonly output: string[] = []
  private restartTimer: NodeJS.Timeout | null = null
  private readonly listeners = new Set<(state: TurnState) => void>()

  constructor(private readonly options: TurnServerOptions) {}

  get state(): TurnState {
    return this.stateNow
  }

  /** coturn's process id while it runs (tests kill it to play a crash). */
  get pid(): number | undefined {
    return this.child?.pid
  }

  /** The last lines coturn printed, for error messages. */
  recentOutput(): string {
    return this.output.join('\n')
  }

  onState(listener: (state: TurnState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** STUN and TURN with a fresh credential, or null while coturn is not answering. */
  iceServers(now = Date.now()): IceServers | null {
    if (this.stateNow !== 'running') return null
    const credential = turnCredential(this.secret, this.options.credentialTtlSeconds, now)
    return { iceServers: iceServersFor(this.options.config, credential), expiresAt: credential.expiresAt }
  }

  async start(): Promise<void> {
    await mkdir(this.options.workDir, { recursive: true, mode: 0o700 })
    const conf = path.join(this.options.workDir, 'turnserver.conf')
    const files = { pid: path.join(this.options.workDir, 'turnserver.pid'), db: path.join(this.options.workDir, 'turndb') }
    await writeFile(conf, coturnConfigFile(this.options.config, this.secret, files), { mode: 0o600 })
    this.setState('starting')
    await this.launch()
  }

  async stop(): Promise<void> {
    this.setState('stopped')
    if (this.restartTimer) clearTimeout(this.restartTimer)
    const child = this.child
    this.child = null
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(killer)
    }
    await rm(this.options.workDir, { recursive: true, force: true })
  }

  private async launch(): Promise<void> {
    const child = spawn(this.options.binary, ['-c', path.join(this.options.workDir, 'turnserver.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the relay's terminal reaches the relay, which stops coturn in order.
      detached: true
    })
    this.child = child
    const keep = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.output.push(line)
      this.output.splice(0, Math.max(0, this.output.length - LOG_LINES_KEPT))
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    const exited = new Promise<string>((resolve) => {
      child.once('error', (err) => resolve(err.message))
      child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with ${code}`))
    })
    void exited.then((how) => this.exited(child, how))
    try {
      await Promise.race([this.waitAnswering(), exited.then((how) => Promise.reject(new Error(`turnserver ${how}`)))])
    } catch (err) {
      if (this.child === child) this.child = null
      child.kill('SIGKILL')
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${this.recentOutput()}`)
    }
    if (this.child === child) this.setState('running')
  }

  /** Until coturn answers a STUN Binding on its first address. */
  private async waitAnswering(): Promise<void> {
    const ip = this.options.config.listenIps[0]
    if (!ip) throw new Error('TURN has no address to listen on')
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000)
    for (;;) {
      try {
        return await stunBinding(ip, this.options.config.port, 300)
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`coturn did not answer STUN on ${ip}:${this.options.config.port}: ${String(err)}`)
      }
    }
  }

  private exited(child: ChildProcess, how: string): void {
    if (this.child !== child) return
    this.child = null
    // While starting or restarting, launch() sees the exit itself.
    if (this.stateNow === 'running') this.scheduleRestart(how)
  }

  private scheduleRestart(how: string): void {
    const now = Date.now()
    const window = this.options.restartWindowMs ?? 10 * 60_000
    this.restarts = this.restarts.filter((t) => now - t < window)
    if (this.restarts.length >= (this.options.maxRestarts ?? 5)) {
      this.options.log.error(
        `TURN is off: coturn ${how}, ${this.restarts.length + 1} times within ${Math.round(window / 60_000)} min\n${this.recentOutput()}`
      )
      this.setState('failed')
      return
    }
    this.restarts.push(now)
    const delay = 250 * 2 ** (this.restarts.length - 1)
    this.options.log.warn(`coturn ${how}; starting it again in ${delay} ms`)
    this.setState('restarting')
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null
      if (this.stateNow !== 'restarting') return
      this.launch().catch((err: unknown) => {
        if (this.stateNow === 'restarting')
          this.scheduleRestart(`did not come back (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`)
      })
    }, delay)
  }

  private setState(state: TurnState): void {
    if (this.stateNow === state) return
    this.stateNow = state
    for (const listener of this.listeners) listener(state)
  }
}
