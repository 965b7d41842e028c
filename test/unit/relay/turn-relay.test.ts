import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import path from 'node:path'
import { connect } from 'node:tls'
import type { Libp2p } from '@libp2p/interface'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchIceServers, IceRefusedError } from '../../../src/main/core/p2p/protocols/ice/index'
import { relayOnlyDataChannel } from '../../support/datachannel-pair'
import { startBareNode } from '../../support/relay-client'
import { startRelay, type RelayProcess } from '../../support/relay-process'
import { makeTempDir, removeDir } from '../../support/host-process'
import { turnSkipReason } from '../../support/turn-server'

const LOOPBACK_RELAY = ['--listen', '/ip4/127.0.0.1/tcp/0', '--allow-private-addresses', '--turn-port', '0']

let relay: RelayProcess
let member: Libp2p
const roomKey = new Uint8Array(32).fill(7)

describe.skipIf(turnSkipReason('TURN on dym relay') !== null)('dym relay offers TURN (real coturn on loopback)', () => {
  beforeAll(async () => {
    relay = await startRelay(LOOPBACK_RELAY)
    member = await startBareNode()
  })
  afterAll(async () => {
    await member?.stop()
    await relay?.stop()
  })

  it('says where TURN listens, and a member of a meeting gets STUN and TURN with a credential that works', async () => {
    expect(relay.output()).toMatch(/TURN on 127\.0\.0\.1 port \d+ \(UDP and TCP\); credentials last 3600 s\./)
    const got = await fetchIceServers(member, relay.addrs[0]!, roomKey)
    expect(got.relay).toBe(relay.peerId)
    const [stun, turn] = got.iceServers
    expect(stun?.urls).toEqual([expect.stringMatching(/^stun:127\.0\.0\.1:\d+$/)])
    expect(turn?.urls).toEqual([expect.stringMatching(/^turn:127\.0\.0\.1:\d+\?transport=udp$/), expect.stringMatching(/\?transport=tcp$/)])
    // TURN REST: the username carries its expiry, an hour from now.
    const expiry = Number(turn?.username?.split(':')[0]) * 1000
    expect(expiry).toBeGreaterThan(Date.now() + 3500_000)
    expect(got.expiresAt - Date.now()).toBeGreaterThan(3500_000)
    expect(got.refreshAt).toBeLessThan(got.expiresAt - 1000_000)
    // Two real WebRTC peers that may only use relayed candidates get a message across.
    expect(await relayOnlyDataChannel(got.iceServers)).toBe('through the relay')
  })

  it('a second relay whose TURN port is taken says so in words and runs without TURN; its members are told', async () => {
    const port = /TURN on 127\.0\.0\.1 port (\d+)/.exec(relay.output())?.[1]
    const second = await startRelay(['--listen', '/ip4/127.0.0.1/tcp/0', '--allow-private-addresses', '--turn-port', port!])
    try {
      expect(second.output()).toContain(`TURN is off: port ${port} is taken on 127.0.0.1 (another TURN server?)`)
      expect(second.turnPid()).toBe(0)
      const refusal = await fetchIceServers(member, second.addrs[0]!, roomKey).catch((e: unknown) => e)
      expect(refusal).toMatchObject({ name: 'IceRefusedError', code: 'no-turn' })
    } finally {
      await second.stop()
    }
  })

  it('with a certificate, TURN also answers over TLS, and the credentials name it by host name', async () => {
    const dir = makeTempDir('dym-turn-tls-')
    const cert = path.join(dir, 'cert.pem')
    const key = path.join(dir, 'key.pem')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=turn.test', '-keyout', key, '-out', cert],
      {
        stdio: 'ignore'
      }
    )
    const tlsPort = await freeTcpPort()
    const tlsRelay = await startRelay([
      ...LOOPBACK_RELAY,
      ...['--turn-cert', cert, '--turn-key', key, '--turn-host', 'turn.test', '--turn-tls-port', String(tlsPort)]
    ])
    try {
      expect(tlsRelay.output()).toContain(`turns:turn.test:${tlsPort} (TLS)`)
      const got = await fetchIceServers(member, tlsRelay.addrs[0]!, roomKey)
      expect(got.iceServers[1]!.urls).toContain(`turns:turn.test:${tlsPort}?transport=tcp`)
      // A STUN Binding over TLS to that port is answered (coturn speaks TLS there, not plain TCP).
      expect(await stunOverTls(tlsPort)).toBe(0x0101)
    } finally {
      await tlsRelay.stop()
      removeDir(dir)
    }
  })

  it('a forged credential gets nothing through', async () => {
    const got = await fetchIceServers(member, relay.addrs[0]!, roomKey)
    const forged = got.iceServers.map((s) => (s.credential ? { ...s, credential: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' } : s))
    await expect(relayOnlyDataChannel(forged, 5_000)).rejects.toThrow(/no message through TURN/)
  })

  it("the secret is in a 0600 file of the relay, never on coturn's command line", async () => {
    const pid = relay.turnPid()
    expect(pid).toBeGreaterThan(0)
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
    expect(cmdline).not.toMatch(/secret/)
    const conf = /-c (\S+)/.exec(cmdline)?.[1] ?? ''
    expect(path.basename(conf)).toBe('turnserver.conf')
    expect(readFileSync(conf, 'utf8')).toMatch(/^static-auth-secret=[A-Za-z0-9_-]{43}$/m)
  })

  it('refuses a member that does not hold the meeting key, and one that asks too often', async () => {
    await fetchIceServers(member, relay.addrs[0]!, roomKey)
    // The relay knows this meeting now; another key gives another tag, an unknown meeting that
    // this member may register. A stranger cannot get at the known meeting's tag without its key.
    const stranger = await startBareNode()
    try {
      const other = await fetchIceServers(stranger, relay.addrs[0]!, new Uint8Array(32).fill(9))
      expect(other.iceServers.length).toBe(2)
      let refusal: unknown
      for (let i = 0; i < 20 && !refusal; i++) {
        refusal = await fetchIceServers(stranger, relay.addrs[0]!, new Uint8Array(32).fill(9)).then(
          () => undefined,
          (err: unknown) => err
        )
      }
      expect(refusal).toBeInstanceOf(IceRefusedError)
      expect((refusal as IceRefusedError).code).toBe('rate-limited')
    } finally {
      await stranger.stop()
    }
  })

  it('coturn that dies is started again; TURN works afterwards; it stops with the relay', async () => {
    const before = relay.turnPid()
    process.kill(before, 'SIGKILL')
    await expect.poll(() => relay.output(), { timeout: 10_000 }).toMatch(/coturn killed by SIGKILL; starting it again/)
    await expect.poll(() => relay.turnPid(), { timeout: 10_000 }).not.toBe(before)
    const fresh = await startBareNode()
    try {
      // Until coturn answers again the relay says TURN is not running.
      await expect
        .poll(async () => (await fetchIceServers(fresh, relay.addrs[0]!, roomKey).catch(() => null)) !== null, { timeout: 10_000 })
        .toBe(true)
      const servers = await fetchIceServers(fresh, relay.addrs[0]!, roomKey)
      expect(await relayOnlyDataChannel(servers.iceServers)).toBe('through the relay')
    } finally {
      await fresh.stop()
    }
    const last = relay.turnPid()
    await relay.stop()
    expect(isRunning(last)).toBe(false)
  })
})

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function freeTcpPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** One STUN Binding request over TLS; resolves with the type of the answer (0x0101: success). */
function stunOverTls(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'turn.test' }, () => {
      const request = Buffer.alloc(20)
      request.writeUInt16BE(0x0001, 0)
      request.writeUInt32BE(0x2112a442, 4)
      randomBytes(12).copy(request, 8)
      socket.write(request)
    })
    socket.setTimeout(5000, () => reject(new Error('no STUN answer over TLS')))
    socket.once('data', (d: Buffer) => {
      resolve(d.readUInt16BE(0))
      socket.destroy()
    })
    socket.once('error', reject)
  })
}
