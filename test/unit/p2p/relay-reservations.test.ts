import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import type { TransportManager } from '@libp2p/interface-internal'
import { describe, expect, it } from 'vitest'
import { relayReservations } from '../../../src/main/core/p2p/relay-reservations'

const relay = (n: number) => multiaddr(`/ip4/6.0.0.${n}/tcp/4001/p2p/12D3KooWDFVt3nDAGrHJuRkL3w165HhTJn8qgvchrkpS6J22zWMQ`)

describe("the meeting's relays a joiner reserves on", () => {
  it('invites naming dead relays do not use up the places: a relay that gives a reservation still gets one, and the cap holds', async () => {
    const listened: string[] = []
    const transports = {
      getAddrs: () => [],
      listen: async (addrs: ReturnType<typeof multiaddr>[]) => {
        const addr = addrs[0]!.toString()
        if (addr.includes('/ip4/6.0.0.9')) throw new Error('connection refused')
        listened.push(addr)
      }
    } as unknown as TransportManager
    const reservations = relayReservations()({ transportManager: transports, logger: defaultLogger() })
    // Bad invites, each naming a relay that does not answer: more of them than there are places.
    for (let i = 90; i < 96; i++) await reservations.reserveOn([relay(i)])
    await reservations.reserveOn([relay(1), relay(2)])
    expect(listened).toEqual([`${relay(1).toString()}/p2p-circuit`, `${relay(2).toString()}/p2p-circuit`])
    // Held ones count: at most four besides the settings'.
    await reservations.reserveOn([relay(3), relay(4), relay(5), relay(6)])
    expect(listened).toHaveLength(4)
  })
})
