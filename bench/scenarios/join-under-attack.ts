import { ROOM_PROTOCOL } from '../../src/main/core/p2p/protocols/room/constants'
import { spawnSilentAttack } from '../../test/support/attackers'
import { benchCore, inTurns, stopCore, type BenchCore } from '../lib/bench-core'
import type { Scenario, ScenarioReport } from '../lib/types'

/**
 * Joining while strangers try to lock people out: 8 peers (in a process of their own) hold 4
 * silent room-protocol streams each to the member being joined, and reopen them when they are
 * closed, against the same join with nobody attacking, taken in turns in the same run.
 */
const SAMPLES = 15
const WARMUP = 2
const ATTACKERS = 8
const STREAMS_EACH = 4

async function joinOnce(host: BenchCore, invite: string, roomId: string, i: number): Promise<number> {
  const guest = await benchCore(`Guest ${i}`)
  try {
    const t = performance.now()
    await guest.invoke('room.join', { invite })
    const ms = performance.now() - t
    await guest.invoke('room.leave', { roomId })
    return ms
  } finally {
    await stopCore(guest)
  }
}

export const joinUnderAttack: Scenario = {
  name: 'join-under-attack',
  async run(): Promise<ScenarioReport> {
    const host = await benchCore('Host')
    const room = await host.invoke('room.create', { title: 'Under attack' })
    const target = host.core.rooms!.libp2p!.getMultiaddrs()
    try {
      const samples = await inTurns(
        SAMPLES,
        WARMUP,
        async (i) => {
          const attack = await spawnSilentAttack(target, ROOM_PROTOCOL, ATTACKERS, STREAMS_EACH)
          try {
            return await joinOnce(host, room.invite, room.roomId, i)
          } finally {
            await attack.stop()
          }
        },
        (i) => joinOnce(host, room.invite, room.roomId, 1000 + i)
      )
      return {
        scenario: 'join-under-attack',
        errors: [],
        comparisons: [
          {
            ours: { label: `join while ${ATTACKERS} peers hold ${STREAMS_EACH} silent streams each`, unit: 'ms', samples: samples.ours },
            baseline: { label: 'the same join, nobody attacking', unit: 'ms', samples: samples.base },
            baselineLabel: 'unattacked join, same run',
            lowerIsBetter: true
          }
        ]
      }
    } finally {
      await stopCore(host)
    }
  }
}
