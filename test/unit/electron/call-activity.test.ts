import { describe, expect, it } from 'vitest'
import type { ChatMessage, Member, PersonView, RoomView } from '../../../src/shared/contract/index'
import { CallActivity, notificationFor } from '../../../src/main/electron/call-activity'
import { settleWithin } from '../../../src/main/electron/bounded'

const person = (peerId: string, displayName: string, extra: Partial<PersonView> = {}): PersonView => ({
  peerId,
  displayName,
  verification: 'guest',
  fingerprint: 'ab:cd',
  ...extra
})
const member = (p: PersonView): Member => ({
  ...p,
  route: 'direct',
  presence: 'present',
  muted: false,
  cameraOff: false,
  handRaised: false,
  isCreator: false,
  isCoHost: false
})
const roomId = 'a'.repeat(64)
const room: RoomView = {
  roomId,
  title: 'Weekly sync',
  invite: 'dym://join/x',
  inviteCode: 'K7QM-2XPD-9F',
  rules: { mode: 'open' },
  self: member(person('self-peer-id', 'Me')),
  members: [],
  recorders: [],
  consentRequests: [],
  locked: false,
  joinedAt: 1,
  expected: []
}
const chat = (from: PersonView, text: string, inRoom = roomId): ChatMessage => ({ id: 'm1', roomId: inRoom, from, text, sentAt: 1, seq: 1 })
const alice = person('alice-peer-id', 'Alice', { verification: 'verified', name: 'alice.3bot' })

describe('CallActivity', () => {
  it('is in a call from room.updated until room.ended for that room', () => {
    const activity = new CallActivity()
    expect(activity.inCall).toBe(false)
    expect(activity.apply('room.updated', room)).toBe(true)
    expect(activity.apply('room.updated', { ...room, title: 'Renamed' })).toBe(false)
    expect(activity.inCall).toBe(true)
    expect(activity.apply('room.ended', { roomId: 'b'.repeat(64), reason: 'other room' })).toBe(false)
    expect(activity.apply('room.ended', { roomId, reason: 'left' })).toBe(true)
    expect(activity.inCall).toBe(false)
  })

  it('starts from room.current', () => {
    const activity = new CallActivity()
    expect(activity.reset(room)).toBe(true)
    expect(activity.current?.title).toBe('Weekly sync')
  })
})

describe('notificationFor', () => {
  const away = { windowFocused: false, room }
  it.each<[string, Parameters<typeof notificationFor>, { title: string; body: string } | null]>([
    [
      'a chat message while away',
      ['chat.message', chat(alice, 'Can you see my screen?'), away],
      { title: 'Alice (alice.3bot) in Weekly sync', body: 'Can you see my screen?' }
    ],
    ['nothing while the window is focused', ['chat.message', chat(alice, 'hi'), { windowFocused: true, room }], null],
    ['not our own message', ['chat.message', chat(room.self, 'mine'), away], null],
    ['not another room', ['chat.message', chat(alice, 'hi', 'c'.repeat(64)), away], null],
    [
      'a long message is cut',
      ['chat.message', chat(alice, 'x'.repeat(500)), away],
      { title: 'Alice (alice.3bot) in Weekly sync', body: 'x'.repeat(179) + '…' }
    ],
    [
      'a guest asks to join',
      ['room.join-request', { roomId, person: person('bob-peer-id', 'Bob') }, away],
      { title: 'Bob (guest) asks to join', body: 'Open the app to let them into Weekly sync.' }
    ],
    [
      'a verified person asks to join',
      ['room.join-request', { roomId, person: alice }, away],
      { title: 'Alice (alice.3bot) asks to join', body: 'Open the app to let them into Weekly sync.' }
    ],
    ['other events say nothing', ['room.updated', room, away], null]
  ])('%s', (_what, args, expected) => {
    expect(notificationFor(...args)).toEqual(expected)
  })
})

describe('settleWithin', () => {
  it.each([
    ['done', () => Promise.resolve(1), 'done'],
    ['failed', () => Promise.reject(new Error('x')), 'failed'],
    ['timeout', () => new Promise(() => undefined), 'timeout']
  ] as const)('%s', async (_what, work, expected) => {
    expect(await settleWithin(work(), 50)).toBe(expected)
  })
})
