import { describe, expect, it } from 'vitest'
import { MAX_RECENT, RECENT_KEY, forgetMeeting, readRecent, rememberMeeting } from '../../../src/renderer/features/recent/recent-meetings'
import { DEFAULT_SETTINGS, toForm, validateSettings } from '../../../src/renderer/screens/settings/settings-model'
import { MemoryStore } from '../renderer/fakes'

const meeting = (i: number) => ({
  roomId: i.toString(16).padStart(64, '0'),
  title: `Meeting ${i}`,
  invite: `invite-${i}`,
  lastJoinedAt: 1000 + i
})

describe('recent meetings', () => {
  it('newest first, one entry per room, bounded', () => {
    const store = new MemoryStore()
    for (let i = 0; i < MAX_RECENT + 5; i++) rememberMeeting(store, meeting(i))
    rememberMeeting(store, { ...meeting(3), lastJoinedAt: 99_999 })
    const list = readRecent(store)
    expect(list).toHaveLength(MAX_RECENT)
    expect(list[0]?.title).toBe('Meeting 3')
    expect(new Set(list.map((m) => m.roomId)).size).toBe(list.length)
    expect(forgetMeeting(store, list[0]!.roomId)).toHaveLength(MAX_RECENT - 1)
  })

  it('survives garbage in storage', () => {
    const store = new MemoryStore()
    store.setItem(RECENT_KEY, '{oops')
    expect(readRecent(store)).toEqual([])
    store.setItem(RECENT_KEY, JSON.stringify([{ roomId: 5 }, meeting(1), 'x']))
    expect(readRecent(store)).toEqual([meeting(1)])
  })
})

describe('settings form validation', () => {
  it('the defaults are valid and round-trip through the form', () => {
    const result = validateSettings(toForm(DEFAULT_SETTINGS))
    expect(result).toEqual({ ok: true, value: DEFAULT_SETTINGS })
  })

  it('rejects bad addresses, TURN without credentials, relay-only without TURN, relative folders', () => {
    const form = toForm(DEFAULT_SETTINGS)
    form.directoryUrl = 'ftp://example.org'
    form.bootstrap = '/dns4/boot.example.org/tcp/4001\nnot-an-address'
    form.iceServers = [
      { urls: 'turn:127.0.0.1:3478', username: '', credential: '' },
      { urls: 'http://x', username: '', credential: '' }
    ]
    form.iceTransportPolicy = 'relay'
    form.recordingsDir = 'recordings'
    const result = validateSettings(form)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.errors).sort()).toEqual([
      'bootstrap',
      'directoryUrl',
      'iceServers.0.credential',
      'iceServers.1.urls',
      'iceTransportPolicy',
      'recordingsDir'
    ])
  })

  it('accepts a TURN server with credentials and relay-only', () => {
    const form = toForm(DEFAULT_SETTINGS)
    form.iceServers = [
      { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'u', credential: 'p' },
      { urls: 'stun:stun.example.org:3478', username: '', credential: '' }
    ]
    form.iceTransportPolicy = 'relay'
    form.relays = '/ip4/203.0.113.5/tcp/4001/p2p/12D3KooWAbc'
    form.recordingsDir = '/home/me/Videos'
    const result = validateSettings(form)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.iceServers).toEqual([
      { urls: 'turn:127.0.0.1:3478?transport=udp', username: 'u', credential: 'p' },
      { urls: 'stun:stun.example.org:3478' }
    ])
    expect(result.value.relays).toEqual(['/ip4/203.0.113.5/tcp/4001/p2p/12D3KooWAbc'])
  })
})
