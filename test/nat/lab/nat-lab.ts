import { randomBytes } from 'node:crypto'
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { SettingsPatch } from '../../../src/shared/contract/settings'
import { findChromium, launchChromium } from '../../support/chromium'
import { Harness, type Peer } from '../../support/harness'
import { startRelay, type RelayProcess } from '../../support/relay-process'
import { writeHostSettings } from '../../support/settings'
import { INTERNET, INTERNET6, publicHostIp6, relayIp6, WORLD_PROBE } from './addresses'
import { startCapture, startLeakLog, type Capture } from './capture'
import { release, sweepStaleLabs, track } from './cleanup'
import { fetchIceServersIn, type LabIceServers } from './ice-in-namespace'
import {
  createHome,
  createInternet,
  createPublicHost,
  createPublicHost6,
  enableInternet6,
  leakCounters,
  nsName,
  publicHostIp,
  relayIp,
  resetLeakCounters,
  type NatKind
} from './network'
import { hostStack, reportEnv } from './host-stacks'
import { nsh, sh } from './shell'

export interface LabRelay {
  readonly ns: string
  readonly ip: string
  readonly peerId: string
  /** The relay's multiaddrs, each ending in /p2p/<peer id>. */
  readonly addrs: string[]
  readonly process: RelayProcess
  /** SIGKILL the relay's coturn, as a crash would (the relay starts it again). */
  killTurn(): number
  /** Drop everything sent to TURN (its port and the relayed ports), as if it were gone; `unblockTurn` undoes it. */
  blockTurn(): void
  unblockTurn(): void
  /** Run a command in its namespace (a machine on the internet segment). */
  exec(command: string, args: string[]): string
  stop(): Promise<void>
}

export interface HomeOptions {
  /** A name for logs and namespaces (default p1, p2, ...). */
  name?: string
  nat: NatKind
  /** IPv6 only (nat none: a public IPv6 address and no IPv4 but loopback). */
  ipv6Only?: boolean
}

export interface ParticipantOptions extends HomeOptions {
  /** Written to the host's settings.json before it starts. */
  settings?: SettingsPatch
  /** Relays set through the app's settings once it runs (what a person does in Settings). */
  relays?: LabRelay[]
}

/** A machine in a home network (or on the internet segment itself when `nat` is none). */
export interface LabHome {
  readonly name: string
  readonly nat: NatKind
  /** Its own namespace (a participant's host and Chromium run here). */
  readonly ns: string
  /** Its address on its LAN, or its public address when `nat` is none. */
  readonly lanIp: string
  /** The address the internet sees (its router's). */
  readonly publicIp: string
  /** Ask a relay for ICE servers from inside this network (a node of its own, through its NAT). */
  fetchIceServers(relay: LabRelay, roomKey: Uint8Array): Promise<LabIceServers>
  /** Run a command in its namespace. */
  exec(command: string, args: string[]): string
}

export interface Participant extends Peer, LabHome {
  readonly browser: Browser
  /** where its host writes a Node report when asked (see host-stacks.ts) */
  readonly reportDir: string
}

/**
 * A lab of real network namespaces: an internet segment, relays on it, participants behind home
 * routers of every kind, each a real `dym serve` with a real Chromium page inside its own
 * network. Everything is removed by `close()`, also after a failed test, and by the process exit
 * hooks if the test process is interrupted; a new lab first sweeps what a killed run left.
 *
 * ```ts
 * const lab = await NatLab.create()
 * const relay = await lab.relay()
 * const alice = await lab.participant({ nat: 'symmetric', relays: [relay] })
 * const capture = await lab.capture()
 * ...
 * expect(lab.leaks().packets).toBe(0)
 * await lab.close()
 * ```
 */
export class NatLab {
  readonly internet: string
  private readonly runId: string
  private readonly harness = new Harness()
  private readonly namespaces: string[] = []
  private readonly browsers: Browser[] = []
  private readonly relays: LabRelay[] = []
  private readonly captures: Capture[] = []
  private readonly participants: Participant[] = []
  private leakLog: Capture | null = null
  private leaksSeenAtReset = 0
  private homes = 0
  private publics = 0
  private relayCount = 0
  private ipv6 = false

  private constructor() {
    // The pid lets a later run tell a stale lab; the random part keeps two labs of one process
    // (vitest runs test files in one worker, each with fresh modules) apart.
    this.runId = `${process.pid}-${randomBytes(3).toString('hex')}`
    this.internet = this.namespace('inet')
    createInternet(this.internet)
  }

  /** Sweep stale labs, then build the internet segment. Call `labUnavailable()` first to skip where it cannot run. */
  static async create(): Promise<NatLab> {
    sweepStaleLabs()
    const lab = new NatLab()
    try {
      lab.leakLog = await startLeakLog(lab.internet, lab.harness.tempDir('dym-lab-leaks-'))
    } catch (err) {
      await lab.close()
      throw err
    }
    return lab
  }

  private namespace(name: string): string {
    const ns = nsName(this.runId, name)
    track(ns)
    this.namespaces.push(ns)
    return ns
  }

  /** The segment's IPv6 side (once per lab). */
  private enableIPv6(): void {
    if (this.ipv6) return
    enableInternet6(this.internet)
    this.ipv6 = true
  }

  /** A `dym relay` (with TURN when coturn is installed) on its own public address (and an IPv6 one with `dualStack`). */
  async relay(options: { args?: string[]; dualStack?: boolean } = {}): Promise<LabRelay> {
    const index = this.relayCount++
    const ns = this.namespace(`relay${index}`)
    const ip = relayIp(index)
    createPublicHost(this.internet, ns, `relay${index}`, ip)
    const listen = [`/ip4/${ip}/tcp/4001`, `/ip4/${ip}/tcp/4002/ws`]
    if (options.dualStack) {
      this.enableIPv6()
      const ip6 = relayIp6(index)
      sh('ip', ['-n', ns, '-6', 'addr', 'add', `${ip6}/${INTERNET6.prefix}`, 'dev', 'eth0', 'nodad'])
      sh('ip', ['-n', ns, '-6', 'route', 'add', 'default', 'via', INTERNET6.gateway])
      listen.push(`/ip6/${ip6}/tcp/4001`, `/ip6/${ip6}/tcp/4002/ws`)
    }
    const dataDir = this.harness.tempDir('dym-lab-relay-')
    const args = [...listen.flatMap((l) => ['--listen', l]), ...(options.args ?? [])]
    const relay = await startRelay(args, { dataDir, wrap: ['ip', 'netns', 'exec', ns] })
    const blockRules = [
      ['-p', 'udp', '--dport', '3478'],
      ['-p', 'tcp', '--dport', '3478'],
      ['-p', 'udp', '--dport', '49152:65535'],
      ['-p', 'tcp', '--dport', '49152:65535']
    ]
    const lab: LabRelay = {
      ns,
      ip,
      peerId: relay.peerId,
      addrs: relay.addrs,
      process: relay,
      killTurn() {
        const pid = relay.turnPid()
        if (!pid) throw new Error(`relay ${ip} runs no coturn:\n${relay.output()}`)
        process.kill(pid, 'SIGKILL')
        return pid
      },
      blockTurn: () => blockRules.forEach((r) => nsh(ns, 'iptables', ['-I', 'INPUT', ...r, '-j', 'DROP'])),
      unblockTurn: () => blockRules.forEach((r) => nsh(ns, 'iptables', ['-D', 'INPUT', ...r, '-j', 'DROP'], { allowFail: true })),
      exec: (command, args) => nsh(ns, command, args),
      stop: () => relay.stop()
    }
    this.relays.push(lab)
    return lab
  }

  /** A home network of the given kind with one machine in it, and nothing running there yet. */
  home(options: HomeOptions): LabHome {
    const name = options.name ?? `p${this.homes + this.publics + 1}`
    const ns = this.namespace(name)
    let lanIp: string
    let publicIp: string
    if (options.ipv6Only) {
      if (options.nat !== 'none') throw new Error('the lab has IPv6 only on the segment itself (nat: none)')
      this.enableIPv6()
      const index = this.publics++
      lanIp = publicIp = publicHostIp6(index)
      createPublicHost6(this.internet, ns, `h${index}`, lanIp)
    } else if (options.nat === 'none') {
      const index = this.publics++
      lanIp = publicIp = publicHostIp(index)
      createPublicHost(this.internet, ns, `h${index}`, lanIp)
    } else {
      const index = this.homes++
      const router = this.namespace(`${name}-router`)
      const home = createHome(this.internet, router, ns, index, options.nat)
      lanIp = home.lanIp
      publicIp = home.wanIp
    }
    return {
      name,
      nat: options.nat,
      ns,
      lanIp,
      publicIp,
      fetchIceServers: (relay, roomKey) => fetchIceServersIn(ns, relay.addrs, roomKey),
      exec: (command, args) => nsh(ns, command, args)
    }
  }

  /** A person: a home network of the given kind, a `dym serve` and a Chromium page inside it. */
  async participant(options: ParticipantOptions): Promise<Participant> {
    const home = this.home(options)
    const { name, ns } = home
    const wrap = ['ip', 'netns', 'exec', ns]
    const browser = await launchChromium(LAB_CHROMIUM_ARGS, chromiumWrapper(this.harness.tempDir('dym-lab-chromium-'), ns))
    this.browsers.push(browser)
    const dataDir = this.harness.tempDir(`dym-lab-${name}-`)
    if (options.settings) writeHostSettings(dataDir, options.settings)
    // No --listen: the host listens as the app does (every interface, WebRTC). No mDNS: members
    // find each other through the invite and the relays, as across the internet.
    const reportDir = this.harness.tempDir(`dym-lab-${name}-reports-`)
    const peer = await this.harness.addPeer({ dataDir, wrap, loopbackOnly: false, args: ['--no-mdns'], browser, env: reportEnv(reportDir) })
    const participant: Participant = { ...peer, ...home, browser, reportDir }
    this.participants.push(participant)
    if (options.relays?.length) await setRelays(peer.page, options.relays)
    return participant
  }

  /** Record the internet segment (every packet between homes, relays and public hosts) until `stop()`. */
  async capture(): Promise<Capture> {
    const capture = await startCapture(this.internet, this.harness.tempDir('dym-lab-capture-'))
    this.captures.push(capture)
    return capture
  }

  /** Packets that tried to leave the lab for an address outside it (public STUN servers, DNS, anything) since the last reset. */
  leaks(): { packets: number; bytes: number } {
    return leakCounters(this.internet)
  }

  /** What tried to leave, one line per packet (tcpdump's words), since the last reset. */
  leakedPackets(): string[] {
    return (this.leakLog?.summary() ?? []).slice(this.leaksSeenAtReset)
  }

  resetLeaks(): void {
    resetLeakCounters(this.internet)
    this.leaksSeenAtReset = this.leakLog?.summary().length ?? 0
  }

  /** Send one UDP packet from a participant's network to an address outside the lab: the leak counter must see it. */
  probeLeak(participant: LabHome): void {
    participant.exec('bash', ['-c', `echo probe > /dev/udp/${WORLD_PROBE}/3478`])
  }

  /** The last lines of every host's and relay's log, for a failing test's message. */
  diagnostics(lines = Number(process.env.DYM_LAB_LOG_LINES ?? 40)): string {
    const tail = (text: string) => text.split('\n').slice(-lines).join('\n')
    return [
      ...this.participants.map((p) => `--- host of ${p.name} (${p.nat}, ${p.lanIp} behind ${p.publicIp}):\n${tail(p.host.log())}`),
      ...this.relays.map((r) => `--- relay ${r.ip}:\n${tail(r.process.output())}`)
    ].join('\n')
  }

  /** Run `step`; if it fails, add the hosts' and relays' logs, and where each host's main thread is, to the error. */
  async explain<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step()
    } catch (err) {
      const stacks = await Promise.all(
        this.participants.map(async (p) => `--- where the host of ${p.name} is: ${await hostStack(p.host.child.pid ?? 0, p.reportDir)}`)
      )
      throw new Error(`${(err as Error).message}\n${this.diagnostics()}\n${stacks.join('\n')}`)
    }
  }

  async close(): Promise<void> {
    // DYM_LAB_DUMP=/some/prefix keeps every host's and relay's whole log, passed or failed.
    if (process.env.DYM_LAB_DUMP) writeFileSync(`${process.env.DYM_LAB_DUMP}-${Date.now()}.log`, this.diagnostics(1_000_000))
    await Promise.allSettled([...this.captures, ...(this.leakLog ? [this.leakLog] : [])].map((c) => c.stop()))
    await this.harness.close()
    await Promise.allSettled([...this.browsers.map((b) => b.close()), ...this.relays.map((r) => r.stop())])
    for (const ns of [...this.namespaces].reverse()) release(ns)
  }
}

/**
 * The test browser itself (not the app) fetches from Google at start: update checks, sign-in,
 * autofill, services an Electron app does not run. Its web requests go to a closed local proxy,
 * so they die on this machine instead of counting as leaks; lab addresses bypass it, so TURN
 * over TCP is untouched. WebRTC's UDP never uses a proxy, and DNS lookups the page makes (a
 * STUN server by name, say) are still seen.
 */
const LAB_CHROMIUM_ARGS = ['--proxy-server=http://127.0.0.1:9', `--proxy-bypass-list=${INTERNET.subnet};${INTERNET6.subnet}`]

/** Chromium for Playwright, started inside a namespace: a wrapper that execs it there (Playwright talks to it over a pipe). */
function chromiumWrapper(dir: string, ns: string): string {
  const file = path.join(dir, 'chromium-in-namespace')
  writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${ns} ${findChromium()} "$@"\n`)
  chmodSync(file, 0o755)
  return file
}

/** What a person does in Settings: enter the relays and save (the node restarts with them). */
async function setRelays(page: Page, relays: LabRelay[]): Promise<void> {
  const addrs = relays.map((r) => r.addrs[0]!)
  await page.evaluate(`window.dym.invoke('settings.update', ${JSON.stringify({ relays: addrs })})`)
}
