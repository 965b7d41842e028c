import { describe, expect, it } from 'vitest'
import { SLOW_JOIN, joinFailedError, unreachedReason } from '../../../src/main/core/rooms/join-failure'
import { JoinFailed, JoinRace } from '../../../src/main/core/rooms/join-race'
import { reachabilityOf } from '../../../src/main/core/rooms/reachability'
import type { RoomSession } from '../../../src/main/core/p2p/protocols/room/index'

const relay = '/ip4/6.0.0.10/tcp/4001/p2p/12D3KooWDFVt3nDAGrHJuRkL3w165HhTJn8qgvchrkpS6J22zWMQ'

describe('a join that reaches nobody names the missing piece', () => {
  it('no relay anywhere / a relay that does not answer / a relay with nobody behind it', () => {
    expect(unreachedReason({ relays: 0, circuitAddrs: false, relayReached: false })).toMatch(
      /^Nobody in this meeting could be reached directly, and the invite names no relay: ask the organiser to set a relay/
    )
    expect(unreachedReason({ relays: 1, circuitAddrs: true, relayReached: false })).toMatch(/^The meeting's relay could not be reached/)
    expect(unreachedReason({ relays: 0, circuitAddrs: true, relayReached: false })).toMatch(/^The meeting's relay could not be reached/)
    expect(unreachedReason({ relays: 1, circuitAddrs: true, relayReached: true })).toMatch(/They may all have left\.$/i)
    for (const relays of [0, 1])
      for (const relayReached of [false, true]) expect(unreachedReason({ relays, circuitAddrs: false, relayReached })).not.toMatch(/\.\./)
  })

  it('gives up once the reach deadline passes with nobody connected, not waiting for slower sources', async () => {
    const closed = new AbortController()
    const race = new JoinRace({
      deadlineMs: 60_000,
      reachDeadlineMs: 100,
      reached: () => false,
      signal: closed.signal,
      onLateSession: () => {}
    })
    const lookup = race.source() // a DHT lookup that never finishes
    race.attempt('peer-a', () => new Promise<RoomSession>(() => {}))
    const failed = await race.result.catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(JoinFailed)
    expect((failed as JoinFailed).nobodyThere).toBe(false)
    lookup()
    closed.abort()
  })

  it('keeps waiting when somebody was reached (a handshake or a host deciding takes its time)', async () => {
    const closed = new AbortController()
    const race = new JoinRace({
      deadlineMs: 400,
      reachDeadlineMs: 50,
      reached: (peers) => peers.includes('peer-a'),
      signal: closed.signal,
      onLateSession: () => {}
    })
    const started = Date.now()
    race.attempt('peer-a', () => new Promise<RoomSession>(() => {}))
    await race.result.catch(() => undefined)
    // Only the full deadline ended it (no wall-clock threshold: it just did not end at the reach deadline).
    expect(Date.now() - started).toBeGreaterThanOrEqual(390)
    closed.abort()
  })
})

describe('a join that reached the meeting but ran out of time', () => {
  const facts = { relays: 1, circuitAddrs: true, relayReached: () => true, refused: () => {} }

  it('says it was slow, not that everybody left', async () => {
    const closed = new AbortController()
    const race = new JoinRace({
      deadlineMs: 50,
      reached: (peers) => peers.includes('peer-a'),
      signal: closed.signal,
      onLateSession: () => {}
    })
    race.attempt('peer-a', () => new Promise<RoomSession>(() => {})) // connected, the welcome never comes
    const failed = await race.result.catch((e: unknown) => e)
    expect((failed as JoinFailed).timedOut).toBe(true)
    expect(joinFailedError(failed, facts).message).toBe(SLOW_JOIN)
    closed.abort()
  })

  it('still says nobody could be reached when nobody was connected by the deadline', async () => {
    const closed = new AbortController()
    const race = new JoinRace({ deadlineMs: 50, reached: () => false, signal: closed.signal, onLateSession: () => {} })
    race.attempt('peer-a', () => new Promise<RoomSession>(() => {}))
    const failed = await race.result.catch((e: unknown) => e)
    expect((failed as JoinFailed).timedOut).toBe(false)
    expect(joinFailedError(failed, facts).message).toMatch(/They may all have left\.$/i)
    closed.abort()
  })
})

describe('reachability, as the pre-join and Settings say it', () => {
  it('a public address: directly; only a relayed one: through a relay; neither: why', () => {
    expect(reachabilityOf(['/ip4/192.168.1.2/tcp/1', '/ip4/6.0.1.2/tcp/4001'], 0).kind).toBe('direct')
    expect(reachabilityOf(['/ip4/192.168.1.2/tcp/1', `${relay}/p2p-circuit`], 1)).toEqual({
      kind: 'relay',
      text: 'People outside your network can reach you only through a relay'
    })
    expect(reachabilityOf(['/ip4/10.0.0.2/tcp/1', '/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/1', '/ip4/100.64.0.9/tcp/1'], 0)).toMatchObject({
      kind: 'no-relay',
      text: expect.stringMatching(/^No relay set: people outside your network cannot join/)
    })
    expect(reachabilityOf(['/ip4/10.0.0.2/tcp/1'], 1).kind).toBe('relay-unreachable')
    expect(reachabilityOf(['/ip4/6.0.1.2/tcp/4001'], 0).text).toBe('People outside your network can reach you directly')
  })
})
