import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodeInvite, InviteError, MAX_INVITE_CHARS, parseInvite, roomIdFromKey } from '../../../src/shared/invite'

const key = new Uint8Array(randomBytes(32))
const roomId = roomIdFromKey(key)
const peer = '12D3KooWRcv7GFtddUuCH2aXCuLtKg7DNdbFWt8DRcHefCd5Zs5T'
const relayPeer = '12D3KooWDFVt3nDAGrHJuRkL3w165HhTJn8qgvchrkpS6J22zWMQ'
const addrs = [
  `/ip4/192.168.1.20/tcp/4001/p2p/${peer}`,
  `/ip6/::1/tcp/4001/p2p/${peer}`,
  `/ip4/203.0.113.9/tcp/4001/p2p/${relayPeer}/p2p-circuit/p2p/${peer}`
]

describe('invites', () => {
  it('round-trips room id, key, title and addresses, relay addresses included', () => {
    const link = encodeInvite({ roomId, roomKey: key, title: 'Weekly sync & review', addrs })
    expect(link.startsWith(`dym://join/${roomId}?`)).toBe(true)
    expect(parseInvite(link)).toEqual({ roomId, roomKey: key, title: 'Weekly sync & review', addrs, relays: [] })
  })

  it('keeps the key in the fragment, the part no server ever sees', () => {
    const link = encodeInvite({ roomId, roomKey: key, title: '', addrs })
    const [beforeHash, fragment] = link.split('#')
    expect(fragment).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(beforeHash).not.toContain(fragment)
    expect(new URL(link).hash).toBe(`#${fragment}`)
  })

  it('finds the link inside a pasted message', () => {
    const link = encodeInvite({ roomId, roomKey: key, title: 'x', addrs: addrs.slice(0, 1) })
    expect(parseInvite(`Join my meeting: ${link}.\nSee you!`).roomId).toBe(roomId)
    expect(parseInvite(`(${link})`).roomKey).toEqual(key)
  })

  it('stays pasteable: at most 12 addresses and 4096 characters', () => {
    const many = Array.from(
      { length: 40 },
      (_, i) => `/dns4/relay-${i}-${'x'.repeat(120)}.example.org/tcp/443/wss/p2p/${relayPeer}/p2p-circuit/p2p/${peer}`
    )
    const link = encodeInvite({ roomId, roomKey: key, title: 't'.repeat(500), addrs: many })
    expect(link.length).toBeLessThanOrEqual(MAX_INVITE_CHARS)
    const parsed = parseInvite(link)
    expect(parsed.addrs.length).toBeGreaterThan(0)
    expect(parsed.addrs.length).toBeLessThanOrEqual(12)
    expect(parsed.title).toHaveLength(120)
  })

  it('refuses malformed invites with a reason a person can act on', () => {
    const good = encodeInvite({ roomId, roomKey: key, title: '', addrs: addrs.slice(0, 1) })
    const cases: Array<[string, RegExp]> = [
      ['', /Paste an invite link/],
      ['https://example.org/join/abc', /not a Digital You Meet invite/],
      [good.split('#')[0]!, /missing its room key/],
      [good.replace(roomId, roomId.slice(0, 60)), /room id is not 64 hex/],
      [good.replace(/#.*/, '#abc'), /room key has the wrong length/],
      [good.replace(/#.*/, '#' + '!'.repeat(43)), /damaged/],
      [good.replace(roomId, roomIdFromKey(new Uint8Array(32))), /does not match its room id/],
      [good.replace(/a=[^#&]+/, 'a=%2Fip4%2Fnonsense'), /Address 1 in the invite is not a peer address/],
      [good.replace(/a=[^#&]+/, 'a=%E0%A4%A'), /broken %-escape/],
      [good.replace(/a=[^#&]+/, `a=${encodeURIComponent('/ip4/1.2.3.4/tcp/1')}`), /Address 1/]
    ]
    for (const [text, reason] of cases) {
      let caught: unknown
      try {
        parseInvite(text)
      } catch (err) {
        caught = err
      }
      expect(caught, text).toBeInstanceOf(InviteError)
      expect((caught as Error).message, text).toMatch(reason)
    }
  })

  it('ignores parameters it does not know, so later versions can add some', () => {
    const link = encodeInvite({ roomId, roomKey: key, title: 'x', addrs: [] }).replace('?t=x', '?t=x&v=2&future=yes')
    expect(parseInvite(link)).toMatchObject({ roomId, title: 'x', addrs: [] })
  })
})
