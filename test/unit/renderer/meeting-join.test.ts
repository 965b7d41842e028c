import { describe, expect, it, vi } from 'vitest'
import { DymError, type RoomView } from '../../../src/shared/contract/index'
import { describeJoinError, MeetingJoin } from '../../../src/renderer/features/call/meeting-join'
import { readRecent } from '../../../src/renderer/features/recent/recent-meetings'
import { fakeDym, MemoryStore, sdpOf } from './fakes'

const room = { roomId: 'a'.repeat(64), title: 'Planning', invite: 'invite-a' } as RoomView

describe('joining a meeting', () => {
  it('signals that come while the core is still joining reach the call', async () => {
    const core = fakeDym({
      'room.join': () => {
        // Members offer the moment they see us: before the core has even answered our join.
        core.arrive(room.roomId, 'alice', 'offer sent as she saw us')
        return room
      },
      'settings.update': (s) => s as never
    })
    const meeting = await new MeetingJoin({ kind: 'join', invite: room.invite }, core.dym, new MemoryStore()).join()
    const got: string[] = []
    meeting.signals.take(room.roomId, (e) => got.push(`${e.from}: ${sdpOf(e)}`))
    core.arrive(room.roomId, 'bob', 'a later offer')
    expect(got).toEqual(['alice: offer sent as she saw us', 'bob: a later offer'])
  })

  it('a refused join says why, stops listening for signals, and remembers nothing', async () => {
    const core = fakeDym({
      'room.join': () => {
        throw new DymError('denied', 'The host did not let you in')
      }
    })
    const store = new MemoryStore()
    const joining = new MeetingJoin({ kind: 'join', invite: room.invite }, core.dym, store)
    const error = await joining.join().catch((err: unknown) => err)
    expect(describeJoinError(error)).toBe('The host did not let you in')
    expect(core.listening('signal.received')).toBe(0)
    expect(readRecent(store)).toEqual([])
    expect(describeJoinError(new DymError('not-found', 'no such room'))).toBe(
      'That meeting could not be found. Check the invite and try again.'
    )
  })

  it('starting a meeting creates it with its title and rules, lists it under recent meetings, and keeps the chosen devices', async () => {
    const core = fakeDym({ 'room.create': () => room, 'settings.update': (s) => s as never })
    const store = new MemoryStore()
    const joining = new MeetingJoin({ kind: 'create', title: 'Planning', rules: { mode: 'ask' } }, core.dym, store)
    joining.media.configure({ cameraId: 'camera-2', micId: 'mic-1' }, 'medium') // as picked on the pre-join screen
    const meeting = await joining.join()
    expect(meeting.room).toBe(room)
    expect(meeting.media).toBe(joining.media)
    expect(core.calls[0]).toEqual({ method: 'room.create', request: { title: 'Planning', rules: { mode: 'ask' } } })
    expect(readRecent(store).map((m) => m.invite)).toEqual(['invite-a'])
    await vi.waitFor(() =>
      expect(core.calls).toContainEqual({ method: 'settings.update', request: { devices: { cameraId: 'camera-2', micId: 'mic-1' } } })
    )
  })
})
