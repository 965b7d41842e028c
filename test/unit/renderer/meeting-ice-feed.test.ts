import { describe, expect, it } from 'vitest'
import type { DymApi, EventName, EventOf, IceServer } from '../../../src/shared/contract/index'
import { readLinkStats } from '../../../src/renderer/features/call/link-stats'
import { describeJoinError } from '../../../src/renderer/features/call/meeting-join'
import { MeetingIceFeed, mergeIceServers } from '../../../src/renderer/features/call/meeting-ice-feed'
import { DymError } from '../../../src/shared/contract/errors'

const ROOM = 'a'.repeat(64)
const own: IceServer[] = [{ urls: 'stun:stun.example.org:3478' }]
const turn = (user: string): IceServer => ({ urls: ['turn:6.0.0.10:3478?transport=udp'], username: user, credential: `pw-${user}` })

/** A window.dym whose core answers room.iceServers after `delay` and whose events the test fires. */
function fakeDym(answer: () => Promise<IceServer[]>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const asked: string[] = []
  const dym = {
    invoke: async (method: string) => {
      asked.push(method)
      return { roomId: ROOM, iceServers: await answer(), relays: 1, answered: 1 }
    },
    on: (event: string, listener: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  } as unknown as Pick<DymApi, 'invoke' | 'on'>
  const fire = <E extends EventName>(event: E, payload: EventOf<E>) => listeners.get(event)?.forEach((l) => l(payload))
  const count = () => [...listeners.values()].reduce((n, s) => n + s.size, 0)
  return { dym, fire, asked, count }
}

const base = { iceServers: own, iceTransportPolicy: 'all' as const, videoQuality: 'medium' as const }

describe("the call's ICE servers: the user's own plus the meeting relays'", () => {
  it('merges without repeats, the user’s own first; nothing public is added', () => {
    expect(mergeIceServers(own, [turn('u1'), turn('u1')])).toEqual([...own, turn('u1')])
    expect(mergeIceServers([], [])).toEqual([])
  })

  it('the first offer waits for the relays: load returns the merged servers', async () => {
    const { dym, asked } = fakeDym(async () => [turn('u1')])
    const feed = new MeetingIceFeed(dym, ROOM)
    expect((await feed.load(base)).iceServers).toEqual([...own, turn('u1')])
    expect(asked).toEqual(['room.iceServers'])
    feed.close()
  })

  it('renewed credentials reach the live call; a renewal during load is not lost; close stops listening', async () => {
    let release!: () => void
    const { dym, fire, count } = fakeDym(() => new Promise((resolve) => (release = () => resolve([turn('old')]))))
    const feed = new MeetingIceFeed(dym, ROOM)
    const loading = feed.load(base)
    // The core renews while the first answer is still on its way: the newer one wins.
    fire('room.ice-servers', { roomId: ROOM, iceServers: [turn('new')], relays: 1, answered: 1 })
    release()
    expect((await loading).iceServers).toEqual([...own, turn('new')])

    const seen: IceServer[][] = []
    const off = feed.subscribe((s) => seen.push(s.iceServers))
    fire('room.ice-servers', { roomId: 'b'.repeat(64), iceServers: [turn('other')], relays: 1, answered: 1 })
    fire('room.ice-servers', { roomId: ROOM, iceServers: [turn('later')], relays: 1, answered: 1 })
    expect(seen).toEqual([[...own, turn('later')]])
    off()
    feed.close()
    expect(count()).toBe(0)
  })

  it('a core that cannot answer leaves the user’s own servers', async () => {
    const { dym } = fakeDym(() => Promise.reject(new DymError('not-found', 'You are not in that meeting')))
    const feed = new MeetingIceFeed(dym, ROOM)
    expect((await feed.load(base)).iceServers).toEqual(own)
    feed.close()
  })
})

describe('the route badge names the relay', () => {
  const stats = (local: Record<string, unknown>, remote: Record<string, unknown>) =>
    readLinkStats(
      [
        { id: 'T', type: 'transport', timestamp: 1, selectedCandidatePairId: 'P' },
        {
          id: 'P',
          type: 'candidate-pair',
          timestamp: 1,
          localCandidateId: 'L',
          remoteCandidateId: 'R',
          nominated: true,
          state: 'succeeded'
        },
        { id: 'L', type: 'local-candidate', timestamp: 1, ...local },
        { id: 'R', type: 'remote-candidate', timestamp: 1, ...remote }
      ],
      null,
      () => null
    ).stats
  it('our TURN server by its URL, or the other side’s relay by its address; none when direct', () => {
    expect(
      stats({ candidateType: 'relay', url: 'turn:6.0.0.10:3478?transport=udp', address: '6.0.0.10' }, { candidateType: 'srflx' })
    ).toMatchObject({
      route: 'relayed',
      relay: '6.0.0.10'
    })
    expect(stats({ candidateType: 'relay', url: 'turns:relay.example.org:443?transport=tcp' }, { candidateType: 'host' }).relay).toBe(
      'relay.example.org'
    )
    expect(stats({ candidateType: 'host' }, { candidateType: 'relay', address: '6.0.0.11' })).toMatchObject({
      route: 'relayed',
      relay: '6.0.0.11'
    })
    expect(stats({ candidateType: 'srflx' }, { candidateType: 'host' })).toMatchObject({ route: 'direct', relay: null })
  })
})

describe('a join that failed says why once, in one sentence', () => {
  it('no double full stop; the core’s own network failing keeps its prefix', () => {
    const unreached = "The meeting's relay could not be reached: check your internet connection."
    expect(describeJoinError(new DymError('unavailable', unreached))).toBe(unreached)
    expect(describeJoinError(new DymError('unavailable', 'The network is not running'))).toBe(
      'Meetings cannot start right now: The network is not running.'
    )
    for (const m of [unreached, 'They may all have left.', 'x'])
      expect(describeJoinError(new DymError('unavailable', m))).not.toMatch(/\.\./)
  })
})
