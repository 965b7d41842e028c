import { ConnectionClosedError } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { RefusedError } from '../../../src/main/core/p2p/errors'
import { retryBroken } from '../../../src/main/core/rooms/join-attempts'

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
