import { describe, expect, it } from 'vitest'
import type { DymApi, EventOf } from '../../../src/shared/contract/index'
import { SignalInbox } from '../../../src/renderer/features/call/signal-inbox'

/** Just enough of window.dym: `on('signal.received')`, and a way to make signals arrive. */
function fakeDym(): { dym: DymApi; arrive(roomId: string, from: string, sdp: string): void } {
  const listeners = new Set<(e: unknown) => void>()
  const dym = {
    on: (_event: string, listener: (e: unknown) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  } as unknown as DymApi
  return {
    dym,
    arrive: (roomId, from, sdp) =>
      listeners.forEach((l) => l({ roomId, from, signal: { kind: 'description', description: { type: 'offer', sdp } } }))
  }
}

const sdpOf = (e: EventOf<'signal.received'>) => (e.signal.kind === 'description' ? e.signal.description.sdp : e.signal.kind)

describe('the signal inbox between joining and the call starting', () => {
  it('keeps what arrives after the join started for the call that starts next', () => {
    const { dym, arrive } = fakeDym()
    const inbox = new SignalInbox()
    inbox.joining(dym)
    arrive('room-1', 'alice', 'early offer')
    const got: string[] = []
    const stop = inbox.take(dym, 'room-1', (e) => got.push(`${e.from}: ${sdpOf(e)}`))
    arrive('room-1', 'alice', 'later offer')
    stop()
    expect(got).toEqual(['alice: early offer', 'alice: later offer'])
  })

  it('after leaving and rejoining the same meeting, signals from the old session are not replayed to the new call', () => {
    const { dym, arrive } = fakeDym()
    const inbox = new SignalInbox()
    inbox.joining(dym)
    const leave = inbox.take(dym, 'room-2', () => undefined)
    leave()
    arrive('room-2', 'bob', 'offer from the old connection') // still on its way when we left
    inbox.joining(dym) // rejoin
    arrive('room-2', 'bob', 'offer for the new connection')
    const got: string[] = []
    inbox.take(dym, 'room-2', (e) => got.push(sdpOf(e)))()
    expect(got).toEqual(['offer for the new connection'])
  })
})
