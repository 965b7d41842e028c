import { describe, expect, it } from 'vitest'
import { newEd25519Key, peerIdOfKey } from '../../../src/main/core/identity/keys'
import { createPeerVerifier } from '../../../src/main/core/identity/peer-verifier'
import { GuestName } from '../../../src/shared/contract/identity'
import { DisplayName } from '../../../src/shared/contract/people'

/** Names people choose (guests) must not pass for a 3Bot name or hide characters. */
const MIMICS: Array<[string, string]> = [
  ['zero-width space after', 'alice.3bot\u200B'],
  ['zero-width joiner inside', 'alice.3b\u200Dot'],
  ['right-to-left override', '\u202Etob3.ecila'],
  ['right-to-left isolate', 'alice\u2067.3bot\u2069'],
  ['word joiner', 'alice.\u20603bot'],
  ['soft hyphen', 'alice.3\u00ADbot'],
  ['fullwidth', 'alice\uFF0E\uFF13\uFF42\uFF4F\uFF54'],
  ['one-dot leader', 'alice\u20243bot'],
  ['Cyrillic o', 'alice.3b\u043Et'],
  ['Cyrillic ze for the 3', 'alice.\u0437bot'],
  ['combining mark', 'alice.3bo\u0307t'],
  ['a space inside', 'alice. 3bot'],
  ['more after it', 'alice.3bot (laptop)'],
  ['Hangul filler', 'alice\u3164'],
  ['a newline', 'ali\nce']
]
const FINE = [
  'Dana',
  'Zoë',
  'José Ñúñez',
  '李小龙',
  'Ann-Marie O\u2019Neil',
  'می\u200Cخواهم',
  '👨\u200D👩\u200D👧 family',
  '\u2764\uFE0F Ann',
  'bot 3',
  'r2.d2'
]

describe('display names', () => {
  it.each(MIMICS)('a guest name with %s is refused', (_what, name) => {
    expect(GuestName.safeParse(name).success).toBe(false)
  })

  it('names in any script, with emoji and the joiners Persian words need, are accepted', () => {
    for (const name of FINE) expect(GuestName.safeParse(name).success, name).toBe(true)
  })

  it('hidden characters are refused in any display name, with a clear message', () => {
    const parsed = DisplayName.safeParse('Bob\u200B')
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0]?.message).toBe('a name cannot hold invisible or text-direction characters')
    expect(GuestName.safeParse('alice\u2024\u0033bot').error?.issues[0]?.message).toMatch(/cannot look like a 3Bot name/)
  })

  it('a peer presenting itself as such a guest is refused', async () => {
    const verify = createPeerVerifier(() => Promise.reject(new Error('a guest is not a credential')))
    const key = newEd25519Key()
    for (const [what, name] of MIMICS) {
      const check = await verify({ v: 1, kind: 'guest', displayName: name }, key.publicKey, peerIdOfKey(key.publicKey))
      expect(check.ok, what).toBe(false)
    }
    expect(await verify({ v: 1, kind: 'guest', displayName: 'Dana' }, key.publicKey, peerIdOfKey(key.publicKey))).toMatchObject({
      ok: true
    })
  })
})
