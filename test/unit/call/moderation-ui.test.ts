import { describe, expect, it } from 'vitest'
import type { PersonView } from '../../../src/shared/contract/index'
import { encodeInvite, roomIdFromKey } from '../../../src/shared/invite'
import { ModerationClient, moderationEffect } from '../../../src/renderer/features/moderation/moderation-client'
import { prejoinHeading } from '../../../src/renderer/screens/prejoin/prejoin-heading'
import { formatDateTime } from '../../../src/renderer/features/format/date-time'
import { fakeDym } from '../renderer/fakes'

const person = (peerId: string, displayName: string): PersonView => ({ peerId, displayName, verification: 'guest', fingerprint: 'ff' })
const host = person('host', 'Alice')
const me = 'me'

describe('what a moderation command asks of our app', () => {
  it('mute: only the person named mutes, and is told by whom', () => {
    expect(moderationEffect(me, host, { kind: 'mute', peerId: me })).toMatchObject({
      mute: true,
      toast: { text: 'Alice muted your microphone' }
    })
    expect(moderationEffect(me, host, { kind: 'mute', peerId: 'bob' })).toMatchObject({ mute: false, toast: null })
  })

  it('mute everyone mutes everyone but the one who asked', () => {
    expect(moderationEffect(me, host, { kind: 'mute-all' })).toMatchObject({ mute: true, toast: { text: 'Alice muted everyone' } })
    expect(moderationEffect('host', host, { kind: 'mute-all' })).toMatchObject({ mute: false, toast: { text: 'You muted everyone' } })
  })

  it('ask to unmute never unmutes by itself; remove and co-host concern the person named', () => {
    expect(moderationEffect(me, host, { kind: 'ask-unmute', peerId: me })).toMatchObject({ askUnmute: true, mute: false })
    expect(moderationEffect(me, host, { kind: 'remove', peerId: me }).removed).toBe(true)
    expect(moderationEffect(me, host, { kind: 'remove', peerId: 'bob' }).removed).toBe(false)
    expect(moderationEffect(me, host, { kind: 'co-host', peerId: me, granted: true }).toast?.text).toBe('Alice made you a co-host')
    expect(moderationEffect(me, host, { kind: 'lock', locked: true }).toast?.text).toBe('Alice locked the meeting')
  })

  it('the client mutes our microphone, holds the unmute request until answered, and remembers a removal', () => {
    const dym = fakeDym()
    let muted = false
    const toasts: string[] = []
    const client = new ModerationClient({
      dym: dym.dym,
      roomId: 'r'.repeat(64),
      selfId: me,
      media: { setMicMuted: (m) => (muted = m) },
      onToast: (t) => toasts.push(t.text)
    })
    const stop = client.start()
    dym.emit('room.moderated', { roomId: 'r'.repeat(64), by: host, action: { kind: 'mute', peerId: me } })
    expect(muted).toBe(true)
    stop()
    client.apply(host, { kind: 'ask-unmute', peerId: me })
    expect(muted).toBe(true)
    expect(client.getSnapshot().askedToUnmuteBy?.displayName).toBe('Alice')
    client.answerUnmute(true)
    expect([muted, client.getSnapshot().askedToUnmuteBy]).toEqual([false, null])
    client.apply(host, { kind: 'remove', peerId: me })
    expect(client.getSnapshot().removedBy?.peerId).toBe('host')
    expect(toasts).toEqual(['Alice muted your microphone'])
  })
})

describe('rough edges', () => {
  it("the joiner's pre-join shows the meeting's title from the invite", () => {
    const roomKey = new Uint8Array(32).fill(7)
    const invite = encodeInvite({ roomId: roomIdFromKey(roomKey), roomKey, title: 'Quarterly review', addrs: [] })
    expect(prejoinHeading({ kind: 'join', invite })).toBe('Quarterly review')
    expect(prejoinHeading({ kind: 'join', invite: 'not an invite' })).toBe('Join the meeting')
    expect(prejoinHeading({ kind: 'create', title: '' })).toBe('New meeting')
  })

  it('one date format, without seconds', () => {
    const text = formatDateTime(Date.UTC(2026, 11, 5, 14, 30, 45))
    expect(text).toMatch(/2026/)
    expect(text).not.toMatch(/:45/)
  })
})
