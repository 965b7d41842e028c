import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import { dialBacksForced } from '../../../src/main/core/p2p/autonat'

type Manager = Parameters<typeof dialBacksForced>[0]

describe('AutoNAT dial-backs', () => {
  it('a dial-back to one address opens a new connection, so closing it leaves the asker connected; other dials are unchanged', async () => {
    const calls: unknown[] = []
    const manager = {
      openConnection: async (_peer: unknown, options?: unknown) => {
        calls.push(options)
        return {}
      },
      getConnections: () => ['kept']
    } as unknown as Manager
    const forced = dialBacksForced(manager)
    const signal = AbortSignal.timeout(1000)
    await forced.openConnection(multiaddr('/ip4/6.0.0.200/tcp/4001'), { signal })
    await forced.openConnection([multiaddr('/ip4/6.0.0.200/tcp/4001')], { signal })
    expect(calls).toEqual([{ signal, force: true }, { signal }])
    expect(forced.getConnections()).toEqual(['kept'])
  })
})
