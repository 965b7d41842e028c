import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../src/main/core/log'
import { DEFAULT_QUOTAS } from '../../../src/main/core/relay/turn-config'
import { TurnServer, type TurnState } from '../../../src/main/core/relay/turn-server'
import { findTurnServer } from '../../../src/main/core/relay/turn-setup'
import { makeTempDir, removeDir } from '../../support/host-process'
import { turnSkipReason } from '../../support/turn-server'

describe.skipIf(turnSkipReason('coturn supervision') !== null)('coturn supervision', () => {
  it('a coturn that keeps dying is started again a bounded number of times, then TURN is off and hands out nothing', async () => {
    const dir = makeTempDir('dym-turn-sup-')
    const states: TurnState[] = []
    const log = memoryLogger()
    const turn = new TurnServer({
      binary: findTurnServer()!,
      workDir: `${dir}/turn`,
      config: {
        listenIps: ['127.0.0.1'],
        port: 20000 + (process.pid % 20000),
        relayPorts: { min: 45000, max: 45100 },
        allowPrivatePeers: true,
        quotas: DEFAULT_QUOTAS
      },
      log,
      credentialTtlSeconds: 600,
      maxRestarts: 2
    })
    turn.onState((s) => states.push(s))
    try {
      await turn.start()
      expect(turn.iceServers()?.iceServers).toHaveLength(2)
      for (let death = 1; death <= 3; death++) {
        await expect.poll(() => turn.state, { timeout: 10_000 }).toBe('running')
        process.kill(turn.pid!, 'SIGKILL')
        await expect.poll(() => turn.state, { timeout: 10_000 }).not.toBe('running')
      }
      await expect.poll(() => turn.state, { timeout: 10_000 }).toBe('failed')
      expect(turn.iceServers()).toBeNull()
      expect(turn.pid).toBeUndefined()
      expect(log.lines.join('\n')).toMatch(/TURN is off: coturn killed by SIGKILL, 3 times within 10 min/)
      expect(states).toEqual(['starting', 'running', 'restarting', 'running', 'restarting', 'running', 'failed'])
    } finally {
      await turn.stop()
      removeDir(dir)
    }
  })
})
