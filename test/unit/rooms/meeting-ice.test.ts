import { describe, expect, it } from 'vitest'
import { MeetingIce } from '../../../src/main/core/rooms/meeting-ice'
import type { EventName, EventOf } from '../../../src/shared/contract/index'

const ROOM = 'c'.repeat(64)

/** A node whose every dial fails at once: the relay is unreachable. */
const unreachableNode = {
  peerId: { toString: () => '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T' },
  dialProtocol: () => Promise.reject(new Error('connection refused'))
} as never

describe("a meeting's ICE servers in the core", () => {
  it('no relay: answers at once with none, says so', async () => {
    const ice = new MeetingIce(unreachableNode, ROOM, new Uint8Array(32), [], () => undefined)
    expect(await ice.ready()).toEqual({ roomId: ROOM, iceServers: [], relays: 0, answered: 0 })
    expect(ice.relayState()).toBe('none')
    ice.stop()
  })

  it('a relay that cannot be reached: the call gets no servers, the join knows the relay is the missing piece', async () => {
    const events: Array<EventOf<'room.ice-servers'>> = []
    const emit = (<E extends EventName>(event: E, payload: EventOf<E>) => {
      if (event === 'room.ice-servers') events.push(payload as EventOf<'room.ice-servers'>)
    }) as never
    const relay = { peerId: '12D3KooWDFVt3nDAGrHJuRkL3w165HhTJn8qgvchrkpS6J22zWMQ', addrs: ['/ip4/127.0.0.1/tcp/9'] }
    const ice = new MeetingIce(unreachableNode, ROOM, new Uint8Array(32), [relay], emit)
    try {
      await ice.settled()
      expect(await ice.ready()).toEqual({ roomId: ROOM, iceServers: [], relays: 1, answered: 0 })
      expect(ice.relayState()).toBe('unreachable')
      expect(ice.current()).toEqual([])
    } finally {
      ice.stop()
    }
  })
})
