import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../../support/host-process'
import { rendezvousCid } from '../../../src/main/core/rooms/rendezvous'
import { parseInvite } from '../../../src/shared/invite'
import { startRelay, type RelayProcess } from '../../support/relay-process'
import { startMember, type TestMember } from '../../support/room-members'
import { TestIdentity } from '../../support/test-identity'

let relay: RelayProcess
const members: TestMember[] = []
/** relays a test starts for itself: stopped after it even when it fails or times out */
const extraRelays: RelayProcess[] = []
async function extraRelay(...args: Parameters<typeof startRelay>): Promise<RelayProcess> {
  const started = await startRelay(...args)
  extraRelays.push(started)
  return started
}

beforeAll(async () => {
  relay = await startRelay()
})
afterAll(async () => {
  await relay?.stop()
})
afterEach(async () => {
  await Promise.allSettled(members.splice(0).map((m) => m.stop()))
  await Promise.allSettled(extraRelays.splice(0).map((r) => r.stop()))
})

/** Loopback, no LAN: the relay's DHT is the only way to find anyone. */
function dhtThroughRelay() {
  return {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: relay.addrs,
    mdns: false as const,
    dht: 'client' as const,
    dhtPrivateAddresses: true
  }
}

describe('dym relay', () => {
  it('prints its multiaddrs', () => {
    expect(relay.addrs.length).toBeGreaterThan(0)
    for (const a of relay.addrs) expect(a).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${relay.peerId}$`))
  })

  it('keeps its key, so its address survives a restart; reads its settings from a JSON file', async () => {
    const dir = makeTempDir('dym-relay-keep-')
    try {
      const config = path.join(dir, 'relay.json')
      writeFileSync(
        config,
        JSON.stringify({
          listen: ['/ip4/127.0.0.1/tcp/0'],
          allowPrivateAddresses: true,
          durationLimitSeconds: 600,
          turn: { enabled: false }
        })
      )
      const first = await extraRelay(['--config', config], { dataDir: path.join(dir, 'data') })
      await first.stop()
      const second = await extraRelay(['--config', config], { dataDir: path.join(dir, 'data') })
      await second.stop()
      expect(second.peerId).toBe(first.peerId)
      expect(second.addrs[0]).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\//)
      writeFileSync(config, JSON.stringify({ listen: 'not a list' }))
      await expect(startRelay(['--config', config], { dataDir: path.join(dir, 'data') })).rejects.toThrow(/listen: .*expected array/)
    } finally {
      removeDir(dir)
    }
    // Three relay processes start and stop here: on a busy machine that alone takes 20 s.
  }, 60_000)

  it('two members with no listen address of their own join through it and exchange signalling', async () => {
    // Nothing to listen on but a reservation on the relay: no direct route exists.
    const network = { listen: [], relays: [relay.addrs[0]!], mdns: false as const, dht: 'off' as const }
    const [ann, ben] = await Promise.all(
      ['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!)
    const room = await ann!.invoke('room.create', { title: 'Behind NATs' })
    const addrs = parseInvite(room.invite).addrs
    expect(addrs.length).toBeGreaterThan(0)
    expect(addrs.every((a) => a.includes('/p2p-circuit/'))).toBe(true)

    const view = await ben!.invoke('room.join', { invite: room.invite })
    expect(view.members).toEqual([expect.objectContaining({ displayName: 'Ann', route: 'relayed', presence: 'present' })])
    await ann!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ben' && m.route === 'relayed'))

    // An offer one way, an answer back, a candidate: over the relayed connection.
    const offer = { kind: 'description' as const, description: { type: 'offer' as const, sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } }
    await ben!.invoke('signal.send', { roomId: room.roomId, to: ann!.peerId(), signal: offer })
    const got = await ann!.waitFor('signal.received', (s) => s.from === ben!.peerId())
    expect(got.signal).toEqual(offer)
    const answer = { kind: 'description' as const, description: { type: 'answer' as const, sdp: 'v=0\r\n' } }
    await ann!.invoke('signal.send', { roomId: room.roomId, to: ben!.peerId(), signal: answer })
    expect((await ben!.waitFor('signal.received', (s) => s.from === ann!.peerId())).signal).toEqual(answer)
  })

  it('a member with two relays in Settings starts, reachable through both', async () => {
    const second = await extraRelay()
    try {
      const network = { listen: [], relays: [relay.addrs[0]!, second.addrs[0]!], mdns: false as const, dht: 'off' as const }
      const ann = await startMember({ identity: new TestIdentity({ displayName: 'Ann' }), network })
      members.push(ann)
      const room = await ann.invoke('room.create', { title: 'Two relays' })
      const through = parseInvite(room.invite).addrs.map((a) => a.split('/p2p-circuit')[0])
      expect(new Set(through)).toEqual(new Set([relay.addrs[0], second.addrs[0]]))
    } finally {
      await second.stop()
    }
  })

  it('joiners with no settings are reachable through the relay the invite names: a third member reaches the second there', async () => {
    // Ann has the relay in Settings; Ben and Cat have nothing: no relay, and no address of their
    // own anyone could dial. Cat can reach Ben only through a reservation Ben holds on the relay.
    const annNetwork = { listen: [], relays: [relay.addrs[0]!], mdns: false as const, dht: 'off' as const }
    const bare = { listen: [], relays: [], mdns: false as const, dht: 'off' as const }
    const ann = await startMember({ identity: new TestIdentity({ displayName: 'Ann' }), network: annNetwork })
    const [ben, cat] = await Promise.all(
      ['Ben', 'Cat'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network: bare }))
    )
    members.push(ann, ben!, cat!)
    const room = await ann.invoke('room.create', { title: 'Three behind NATs' })
    expect(parseInvite(room.invite).relays.map((r) => r.peerId)).toEqual([relay.peerId])
    await ben!.invoke('room.join', { invite: room.invite })
    // In the meeting, Ben holds a reservation on its relay, and Ann learns that address of his.
    const circuit = (addrs: Array<{ toString(): string }>) => addrs.some((a) => a.toString().includes(`/p2p/${relay.peerId}/p2p-circuit`))
    await expect.poll(() => circuit(ben!.core.rooms!.libp2p!.getMultiaddrs()), { timeout: 20_000 }).toBe(true)
    const annNode = ann.core.rooms!.libp2p!
    await expect
      .poll(async () => circuit((await annNode.peerStore.get(peerIdFromString(ben!.peerId()))).addresses.map((a) => a.multiaddr)), {
        timeout: 20_000
      })
      .toBe(true)

    const view = await cat!.invoke('room.join', { invite: room.invite })
    expect(view.members.map((m) => m.displayName)).toContain('Ann')
    await cat!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Ben' && m.presence === 'present'), 30_000)
    await ben!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Cat' && m.presence === 'present'), 30_000)
  }, 90_000)

  it('the meeting outlives its creator: a newcomer with the old invite finds the others in the DHT', async () => {
    const network = dhtThroughRelay()
    const [ann, ben, cid] = await Promise.all(
      ['Ann', 'Ben', 'Cid'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!, cid!)
    const room = await ann!.invoke('room.create', { title: 'Long meeting' })
    await ben!.invoke('room.join', { invite: room.invite })

    // Wait until Ben's announcement is in the DHT (this is what the newcomer will find).
    const key = parseInvite(room.invite).roomKey
    const annNode = ann!.core.rooms!.libp2p!
    await expect
      .poll(
        async () => {
          for await (const p of annNode.contentRouting.findProviders(rendezvousCid(key), { signal: AbortSignal.timeout(3000) }))
            if (p.id.toString() === ben!.peerId()) return true
          return false
        },
        { timeout: 15_000, interval: 500 }
      )
      .toBe(true)

    await ann!.invoke('room.leave', { roomId: room.roomId })
    // The invite only has Ann's addresses, and Ann is no longer in the meeting.
    const view = await cid!.invoke('room.join', { invite: room.invite })
    expect(view.members.map((m) => m.displayName)).toEqual(['Ben'])
    await ben!.waitFor('room.updated', (v) => v.members.some((m) => m.displayName === 'Cid' && m.presence === 'present'))
  })

  it('a newcomer with only the short code finds the meeting through the DHT, not the LAN', async () => {
    const network = dhtThroughRelay()
    const [ann, ben] = await Promise.all(
      ['Ann', 'Ben'].map((displayName) => startMember({ identity: new TestIdentity({ displayName }), network }))
    )
    members.push(ann!, ben!)
    const room = await ann!.invoke('room.create', { title: 'Across town' })
    const benNode = ben!.core.rooms!.libp2p!
    // Ben knows nobody but the relay: only the DHT can name Ann.
    expect(benNode.getConnections().map((c) => c.remotePeer.toString())).not.toContain(ann!.peerId())
    // Ann's announcement reaches the DHT a moment after she creates the meeting.
    let invite = ''
    await expect
      .poll(async () => (invite = (await ben!.invoke('room.find-invite', { code: room.inviteCode }).catch(() => null))?.invite ?? ''), {
        timeout: 30_000,
        interval: 500
      })
      .not.toBe('')
    const view = await ben!.invoke('room.join', { invite })
    expect(view.members.map((m) => m.displayName)).toEqual(['Ann'])
  }, 60_000)
})
