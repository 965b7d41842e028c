import { ConnectionClosedError } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { RefusedError } from '../../../src/main/core/p2p/errors'
import { peerIdFromString } from '@libp2p/peer-id'
import { memoryLogger } from '../../../src/main/core/log'
import type { RoomSession } from '../../../src/main/core/p2p/protocols/room/index'
import { MemberLinks, retryBroken, type LinkOwner, type MeetingNetwork } from '../../../src/main/core/rooms/member-links'
import { DEFAULT_MEETING_TUNING } from '../../../src/main/core/rooms/tuning'

/** An attempt that fails with `errors` in turn, then succeeds; counts its calls. */
function flaky(errors: Error[]) {
  let calls = 0
  return {
    calls: () => calls,
    run: async () => {
      const err = errors[calls++]
      if (err) throw err
      return 'welcomed'
    }
  }
}

const MEMBER = '12D3KooWGRUVh2H5YRVtGKSKBHEq8Cf9E2YRKv3EHmHjkTNvUZ5w'

/**
 * MemberLinks over a stand-in network whose `join` is `join`; the sessions it hands the meeting
 * are collected in `attached`, and a member counts as live once one is (or as `live` says).
 */
function linksUnderTest(join: MeetingNetwork['join'], options: { learnAddrs?: MeetingNetwork['learnAddrs']; live?: 'after-attach' } = {}) {
  const attached: unknown[] = []
  const owner: LinkOwner = {
    wireId: 'room',
    key: new Uint8Array(32),
    closed: new AbortController().signal,
    attach: (s) => attached.push(s),
    isLiveMember: () => options.live === 'after-attach' && attached.length > 0,
    isTimedOut: () => false,
    linkLost: () => undefined
  }
  const network: MeetingNetwork = { selfId: 'self', join, learnAddrs: options.learnAddrs ?? (async () => undefined) }
  return { links: new MemberLinks(owner, network, DEFAULT_MEETING_TUNING, memoryLogger()), attached }
}

describe('a way into a meeting whose connection broke while opening', () => {
  it('is tried again, and the join gets in', async () => {
    const attempt = flaky([new ConnectionClosedError('Remote closed connection during opening')])
    await expect(retryBroken(attempt.run, new AbortController().signal, [1, 1])).resolves.toBe('welcomed')
    expect(attempt.calls()).toBe(2)
  })

  it('is given up after the last pause, with the error it met', async () => {
    const broken = () => new ConnectionClosedError('Remote closed connection during opening')
    const attempt = flaky([broken(), broken(), broken()])
    await expect(retryBroken(attempt.run, new AbortController().signal, [1, 1])).rejects.toThrow(/closed connection during opening/)
    expect(attempt.calls()).toBe(3)
  })

  it('a refusal, an address nobody answers, or a cancelled join is not tried again', async () => {
    for (const err of [
      new RefusedError('declined', 'The host declined'),
      new AggregateError([new Error('ECONNREFUSED')], 'All multiaddr dials failed')
    ]) {
      const attempt = flaky([err])
      await expect(retryBroken(attempt.run, new AbortController().signal, [1, 1])).rejects.toBe(err)
      expect(attempt.calls()).toBe(1)
    }
    const cancelled = new AbortController()
    cancelled.abort()
    const attempt = flaky([new ConnectionClosedError('closed')])
    await expect(retryBroken(attempt.run, cancelled.signal, [1, 1])).rejects.toThrow('closed')
    expect(attempt.calls()).toBe(1)
  })
})

describe('every dial of a meeting (join, tip, reconnect, knock)', () => {
  it('tries a connection that broke while opening again, and hands the session to the meeting', async () => {
    const attempt = flaky([new ConnectionClosedError('Remote closed connection during opening')])
    const { links, attached } = linksUnderTest(async () => (await attempt.run()) as unknown as RoomSession)
    expect(await links.reach(peerIdFromString(MEMBER), 5_000)).toBe(true)
    expect(attempt.calls()).toBe(2)
    expect(attached).toEqual(['welcomed'])
  })
})

describe('a member our welcome listed that is still finishing its own join', () => {
  it('answers that it is not in the meeting yet, and is dialled again until it is (not left to dial us after its grace)', async () => {
    const notYet = () => new RefusedError('not-member', 'That meeting is not running here: the invite may be outdated or wrong')
    const attempt = flaky([notYet(), notYet()])
    const { links, attached } = linksUnderTest(async () => (await attempt.run()) as unknown as RoomSession, { live: 'after-attach' })
    await links.connectTo([{ peerId: MEMBER, addrs: [] }], 10_000)
    expect(attempt.calls()).toBe(3)
    expect(attached).toEqual(['welcomed'])
  })

  it('a member that refuses for another reason is not dialled again', async () => {
    const attempt = flaky([new RefusedError('declined', 'The host declined'), new Error('not reached')])
    const { links } = linksUnderTest(async () => (await attempt.run()) as unknown as RoomSession)
    await links.connectTo([{ peerId: MEMBER, addrs: [] }], 10_000)
    expect(attempt.calls()).toBe(1)
  })
})

describe('a member behind a strict NAT, known to us by its id only', () => {
  it("is dialled through the meeting's relays too: its circuit address is learned before the dial", async () => {
    const relay = '12D3KooWNyBYpiGwzriaTQZRkGd8NjWp642PXzoZU7wGFoqd7RnG'
    const member = peerIdFromString(MEMBER)
    const learned: string[] = []
    // Reached only if the relay route was known by the time of the dial.
    const { links } = linksUnderTest(
      async () => {
        if (!learned.some((a) => a.includes('/p2p-circuit/'))) throw new AggregateError([], 'All multiaddr dials failed')
        return 'welcomed' as unknown as RoomSession
      },
      { learnAddrs: async (_peer, addrs) => void learned.push(...addrs) }
    )
    expect(await links.reach(member, 5_000)).toBe(false)

    links.useRelays([{ peerId: relay, addrs: [`/ip4/6.0.0.10/tcp/4001/p2p/${relay}`] }])
    expect(await links.reach(member, 5_000)).toBe(true)
    expect(learned).toEqual([`/ip4/6.0.0.10/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${member.toString()}`])
  })
})
