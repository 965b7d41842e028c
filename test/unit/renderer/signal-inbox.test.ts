import { describe, expect, it } from 'vitest'
import type { RoomView } from '../../../src/shared/contract/index'
import { MeetingJoin } from '../../../src/renderer/features/call/meeting-join'
import { SignalInbox } from '../../../src/renderer/features/call/signal-inbox'
import { fakeDym, MemoryStore, sdpOf } from './fakes'

describe('the signal inbox between joining and the call starting', () => {
  it('keeps what arrives after the join started for the call that starts next', () => {
    const { dym, arrive } = fakeDym()
    const inbox = new SignalInbox(dym)
    arrive('room-1', 'alice', 'early offer')
    const got: string[] = []
    const stop = inbox.take('room-1', (e) => got.push(`${e.from}: ${sdpOf(e)}`))
    arrive('room-1', 'alice', 'later offer')
    stop()
    expect(got).toEqual(['alice: early offer', 'alice: later offer'])
  })

  it('after leaving and rejoining the same meeting, signals from the old session are not replayed to the new call', async () => {
    const room = { roomId: 'room-2', title: 'Standup', invite: 'invite-2' } as RoomView
    const { dym, arrive } = fakeDym({ 'room.join': () => room, 'settings.update': (s) => s as never })
    const join = () => new MeetingJoin({ kind: 'join', invite: room.invite }, dym, new MemoryStore()).join()
    const first = await join()
    const leave = first.signals.take('room-2', () => undefined)
    leave()
    first.signals.close() // the call ended
    arrive('room-2', 'bob', 'offer from the old connection') // still on its way when we left
    const second = await join() // rejoin
    arrive('room-2', 'bob', 'offer for the new connection')
    const got: string[] = []
    second.signals.take('room-2', (e) => got.push(sdpOf(e)))()
    expect(got).toEqual(['offer for the new connection'])
  })
})
