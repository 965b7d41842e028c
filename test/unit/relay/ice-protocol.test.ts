import type { Libp2p } from '@libp2p/interface'
import { lpStream } from '@libp2p/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRelayNode, type RelayNode } from '../../../src/main/core/p2p/relay-node'
import {
  fetchIceServers,
  ICE_PROTOCOL,
  IceRefusedError,
  MeetingIceServers,
  MeetingRegistry,
  type IceServerEntry
} from '../../../src/main/core/p2p/protocols/ice/index'
import { meetingTag, relayMeetingKey } from '../../../src/main/core/p2p/protocols/ice/proof'
import { startBareNode } from '../../support/relay-client'

/**
 * The protocol's rules, against a real relay node in this process. Its TURN is a stand-in that
 * answers with fixed servers (the real coturn is in turn-relay.test.ts and the NAT lab).
 */
const SERVERS: IceServerEntry[] = [
  { urls: ['stun:6.0.0.10:3478'] },
  { urls: ['turn:6.0.0.10:3478?transport=udp'], username: 'u', credential: 'c' }
]
let turnUp = true
let ttlMs = 3600_000
let relay: RelayNode
let registrars: string[] | null = null
const nodes: Libp2p[] = []
const key = (n: number) => new Uint8Array(32).fill(n)

async function member(): Promise<Libp2p> {
  const node = await startBareNode()
  nodes.push(node)
  return node
}

beforeAll(async () => {
  relay = await createRelayNode({
    seed: key(1),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    allowPrivateAddresses: true,
    ice: {
      provider: { iceServers: () => (turnUp ? { iceServers: SERVERS, expiresAt: Date.now() + ttlMs } : null) },
      mayRegister: (peer) => registrars === null || registrars.includes(peer.toString()),
      registry: new MeetingRegistry({ maxMeetings: 3, idleMs: 60_000, peersPerMeeting: 2 }),
      requestsPerMinute: 50,
      stepTimeoutMs: 1000
    }
  })
})
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()))
  await relay?.stop()
})

const addr = () => relay.getMultiaddrs()[0]!.toString()

describe('/dym/ice/1.0.0', () => {
  it('a member of a meeting gets the servers; the relay keeps only a key derived for it, never the room key', async () => {
    const m = await member()
    const got = await fetchIceServers(m, addr(), key(2))
    expect(got.iceServers).toEqual(SERVERS)
    expect(got.relay).toBe(relay.peerId.toString())
    const derived = relayMeetingKey(key(2), relay.peerId.toString())
    const entry = relay.services.ice!.registry.get(meetingTag(derived))
    expect(entry?.key).toEqual(derived)
    expect(entry?.key).not.toEqual(key(2))
    // Derived for this relay: another relay's key for the same meeting is another key.
    expect(relayMeetingKey(key(2), '12D3KooWOtherRelay')).not.toEqual(derived)
  })

  it('a known meeting needs the proof only; a wrong proof or a key that does not fit the tag is refused', async () => {
    const m = await member()
    await fetchIceServers(m, addr(), key(3))
    // The same member again: the relay knows the meeting, the key is not sent again.
    await expect(fetchIceServers(m, addr(), key(3))).resolves.toMatchObject({ iceServers: SERVERS })
    // Someone who knows the tag (the relay, say) but not the key cannot prove it.
    const tag = meetingTag(relayMeetingKey(key(3), relay.peerId.toString()))
    const answer = await rawExchange(m, [
      { t: 'ask', v: 1, tag },
      { t: 'prove', proof: 'A'.repeat(43) }
    ])
    expect(answer.at(-1)).toMatchObject({ t: 'refuse', code: 'bad-proof' })
    const unknown = await rawExchange(m, [
      { t: 'ask', v: 1, tag: 'B'.repeat(43) },
      { t: 'prove', proof: 'A'.repeat(43), key: 'C'.repeat(43) }
    ])
    expect(unknown.at(-1)).toMatchObject({ t: 'refuse', code: 'bad-proof' })
    const noKey = await rawExchange(m, [
      { t: 'ask', v: 1, tag: 'D'.repeat(43) },
      { t: 'prove', proof: 'A'.repeat(43) }
    ])
    expect(noKey.at(-1)).toMatchObject({ t: 'refuse', code: 'unknown-meeting' })
  })

  it('garbage, oversized frames and silence end the stream and nothing else; the relay keeps serving', async () => {
    const m = await member()
    for (const frame of ['not json', JSON.stringify({ t: 'ask', v: 2, tag: 'x' }), 'x'.repeat(20_000)]) {
      const stream = await m.dialProtocol(relay.getMultiaddrs()[0]!, ICE_PROTOCOL)
      const lp = lpStream(stream)
      await lp.write(new TextEncoder().encode(frame)).catch(() => undefined)
      await expect(lp.read({ signal: AbortSignal.timeout(5000) })).rejects.toThrow()
    }
    // A member that says nothing is dropped after the step timeout.
    const silent = lpStream(await m.dialProtocol(relay.getMultiaddrs()[0]!, ICE_PROTOCOL))
    await expect(silent.read({ signal: AbortSignal.timeout(5000) })).rejects.toThrow(/reset|closed|end/i)
    await expect(fetchIceServers(await member(), addr(), key(4))).resolves.toMatchObject({ iceServers: SERVERS })
  })

  it('says so when TURN is down, when only listed devices may register, when a meeting has its fill of devices', async () => {
    turnUp = false
    await expect(fetchIceServers(await member(), addr(), key(5))).rejects.toMatchObject({ name: 'IceRefusedError', code: 'no-turn' })
    turnUp = true

    const allowed = await member()
    registrars = [allowed.peerId.toString()]
    try {
      const stranger = await member()
      const refused = await fetchIceServers(stranger, addr(), key(6)).catch((e: unknown) => e)
      expect(refused).toBeInstanceOf(IceRefusedError)
      expect((refused as IceRefusedError).code).toBe('not-allowed')
      // Once a listed device has named the relay in that meeting, its other members may ask.
      await fetchIceServers(allowed, addr(), key(6))
      await expect(fetchIceServers(stranger, addr(), key(6))).resolves.toMatchObject({ iceServers: SERVERS })
      // Two devices per meeting in this relay's settings: a third is refused.
      await expect(fetchIceServers(await member(), addr(), key(6))).rejects.toMatchObject({ code: 'full' })
    } finally {
      registrars = null
    }
  })

  it('remembers a bounded number of meetings; a forgotten one is simply registered again', async () => {
    const m = await member()
    for (const n of [10, 11, 12, 13]) await fetchIceServers(m, addr(), key(n))
    expect(relay.services.ice!.registry.size).toBe(3)
    await expect(fetchIceServers(m, addr(), key(10))).resolves.toMatchObject({ iceServers: SERVERS })
  })

  it('a key the host replaced is refused from then on: a removed member gets no more credentials; nobody else can retire a key', async () => {
    const [host, guest, removed] = [await member(), await member(), await member()]
    const [first, second, third] = [key(30), key(31), key(32)]
    await fetchIceServers(host, addr(), first)
    await fetchIceServers(removed, addr(), first)
    // The host removes someone and replaces the key: it asks under the new key, retiring the old.
    await expect(fetchIceServers(host, addr(), second, undefined, first)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(removed, addr(), first)).rejects.toMatchObject({ name: 'IceRefusedError', code: 'retired' })
    await expect(fetchIceServers(guest, addr(), second)).resolves.toMatchObject({ iceServers: SERVERS })
    // A member that is not the host cannot cut the meeting off: its retire is ignored.
    await expect(fetchIceServers(guest, addr(), third, undefined, second)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(host, addr(), second)).resolves.toMatchObject({ iceServers: SERVERS })
    // Nor can the removed member, who still holds the first key, retire anything that matters.
    await expect(fetchIceServers(removed, addr(), third, undefined, first)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(guest, addr(), second)).resolves.toMatchObject({ iceServers: SERVERS })
  })

  it('a co-host the host named to the relay retires the key after the host left; a deputy named by anyone else cannot', async () => {
    const [host, coHost, removed] = [await member(), await member(), await member()]
    const [first, second, third, fourth] = [key(50), key(51), key(52), key(53)]
    await fetchIceServers(host, addr(), first)
    // A member that did not name the meeting here names itself a deputy: ignored, its retire too.
    await fetchIceServers(removed, addr(), first, undefined, undefined, [removed.peerId.toString()])
    await expect(fetchIceServers(removed, addr(), fourth, undefined, first)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(removed, addr(), first)).resolves.toMatchObject({ iceServers: SERVERS })
    // The host names its co-host, then leaves; the co-host removes someone and replaces the key.
    await fetchIceServers(host, addr(), first, undefined, undefined, [coHost.peerId.toString()])
    await expect(fetchIceServers(coHost, addr(), second, undefined, first)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(removed, addr(), first)).rejects.toMatchObject({ name: 'IceRefusedError', code: 'retired' })
    // The right passes on with the new key: the host (back again) may retire the next one.
    await expect(fetchIceServers(host, addr(), third, undefined, second)).resolves.toMatchObject({ iceServers: SERVERS })
    await expect(fetchIceServers(coHost, addr(), second)).rejects.toMatchObject({ name: 'IceRefusedError', code: 'retired' })
  })

  it('MeetingIceServers asks again under a replaced key at once, retiring the old one at every relay', async () => {
    const [host, removed] = [await member(), await member()]
    const servers = new MeetingIceServers({ node: host, relays: [{ peerId: relay.peerId.toString(), addrs: [addr()] }], roomKey: key(40) })
    try {
      await servers.start()
      await fetchIceServers(removed, addr(), key(40))
      servers.replaceKey(key(41), key(40))
      await expect
        .poll(
          () =>
            fetchIceServers(removed, addr(), key(40)).then(
              () => 'served',
              (e: IceRefusedError) => e.code
            ),
          { timeout: 10_000 }
        )
        .toBe('retired')
      expect(servers.current()).toEqual(SERVERS)
      expect(servers.status()[0]).toMatchObject({ error: null, reached: true })
    } finally {
      servers.stop()
    }
  })

  it('MeetingIceServers asks every relay, refreshes before the credential expires, and reports a relay it cannot reach', async () => {
    ttlMs = 3_000
    const changes: IceServerEntry[][] = []
    const m = await member()
    const servers = new MeetingIceServers({
      node: m,
      relays: [
        { peerId: relay.peerId.toString(), addrs: [addr()] },
        { peerId: '12D3KooWGCJU6oPKVWjpKfhmu2H1Lq3d4CgYNvKP3AfzicTQLrNp', addrs: ['/ip4/127.0.0.1/tcp/1'] }
      ],
      roomKey: key(20),
      onChange: (list) => changes.push(list),
      retryMs: 60_000
    })
    try {
      await servers.start()
      expect(servers.current()).toEqual(SERVERS)
      const [ok, dead] = servers.status()
      expect(ok).toMatchObject({ error: null, reached: true })
      expect(dead).toMatchObject({ error: expect.stringMatching(/could not be reached/), reached: false })
      const first = ok!.servers!.expiresAt
      // Two thirds of 3 s (at least 1 s) later it has asked again.
      await expect.poll(() => servers.status()[0]!.servers!.expiresAt, { timeout: 5_000 }).toBeGreaterThan(first)
      expect(servers.current()).toEqual(SERVERS)
    } finally {
      servers.stop()
      ttlMs = 3600_000
    }
  })
})

/** Speak the protocol by hand: write these frames, read every answer until the stream ends. */
async function rawExchange(node: Libp2p, frames: unknown[]): Promise<Array<Record<string, unknown>>> {
  const stream = await node.dialProtocol(relay.getMultiaddrs()[0]!, ICE_PROTOCOL)
  const lp = lpStream(stream)
  const answers: Array<Record<string, unknown>> = []
  for (const frame of frames) {
    try {
      await lp.write(new TextEncoder().encode(JSON.stringify(frame)))
      const reply = JSON.parse(new TextDecoder().decode((await lp.read({ signal: AbortSignal.timeout(5000) })).subarray()))
      answers.push(reply)
      if (reply.t === 'refuse') break
    } catch {
      break
    }
  }
  // Two inbound streams per connection at once: leave none half-open.
  await stream.close().catch(() => stream.abort(new Error('done')))
  return answers
}
