import { describe, expect, it } from 'vitest'
import { MAX_DEEP_LINK_LENGTH, parseDeepLink } from '../../../src/shared/deep-link'

const invite = 'dym://join/bafyInviteText_-.~123'

describe('parseDeepLink: one link', () => {
  it.each([
    ['a plain invite link', invite, invite],
    ['surrounding whitespace from a launcher', `  ${invite}\n`, invite],
    ['upper-case scheme and action (schemes are case-insensitive)', 'DYM://JOIN/bafyInviteText', 'dym://join/bafyInviteText'],
    ['the invite keeps its case and its query', 'dym://join/AbC?relay=%2Fip4%2F1.2.3.4#x', 'dym://join/AbC?relay=%2Fip4%2F1.2.3.4#x'],
    [
      'a link of exactly the maximum length',
      'dym://join/' + 'a'.repeat(MAX_DEEP_LINK_LENGTH - 11),
      'dym://join/' + 'a'.repeat(MAX_DEEP_LINK_LENGTH - 11)
    ]
  ])('accepts %s', (_what, input, expected) => {
    expect(parseDeepLink(input)).toEqual({ kind: 'join', invite: expected })
  })

  it.each([
    ['an empty string', '', 'empty'],
    ['a web link', 'https://join/abc', 'not a dym://'],
    ['a look-alike scheme', 'dymx://join/abc', 'not a dym://'],
    ['no scheme at all', 'join/abc', 'not a dym://'],
    ['a missing //', 'dym:join/abc', 'starts with dym://'],
    ['another action', 'dym://call/abc', 'not a meeting invite'],
    ['user info in front of join', 'dym://evil@join/abc', 'not a meeting invite'],
    ['a port after join', 'dym://join:80/abc', 'not a meeting invite'],
    ['no action', 'dym:///abc', 'nothing to do'],
    ['no invite', 'dym://join', 'missing'],
    ['an empty invite', 'dym://join/', 'missing'],
    ['only separators as invite', 'dym://join///?#', 'missing'],
    ['a space inside', 'dym://join/ab c', 'spaces'],
    ['a NUL byte', 'dym://join/ab\u0000c', 'control'],
    ['a newline inside', 'dym://join/ab\nc', 'control'],
    ['a DEL character', 'dym://join/ab\u007fc', 'control'],
    ['non-ASCII look-alikes', 'dym://jоin/abc', 'non-ASCII'],
    ['a link one character too long', 'dym://join/' + 'a'.repeat(MAX_DEEP_LINK_LENGTH - 10), 'longer than'],
    ['megabytes of link', 'dym://join/' + 'a'.repeat(5_000_000), 'longer than']
  ])('refuses %s', (_what, input, reason) => {
    const result = parseDeepLink(input)
    expect(result.kind).toBe('error')
    expect(result.kind === 'error' && result.reason).toContain(reason)
  })
})

describe('parseDeepLink: a command line', () => {
  it.each<[string, string[], ReturnType<typeof parseDeepLink>]>([
    [
      'Windows second instance',
      ['C:\\Program Files\\Digital You Meet\\Digital You Meet.exe', '--allow-file-access-from-files', invite],
      { kind: 'join', invite }
    ],
    ['Linux .desktop %u', ['/opt/Digital You Meet/digital-you-meet', invite], { kind: 'join', invite }],
    ['development start', ['/usr/bin/electron', '/repo/out/main/index.js', invite], { kind: 'join', invite }],
    ['the first link wins', ['/app', invite, 'dym://join/second'], { kind: 'join', invite }],
    ['an ordinary start', ['/app', '--no-sandbox'], { kind: 'none' }],
    ['an empty argv', [], { kind: 'none' }],
    ['a flag mentioning dym is not a link', ['/app', '--open=dym://join/abc'], { kind: 'none' }],
    ['a malformed link is reported', ['/app', 'dym://join/'], { kind: 'error', reason: 'the invite is missing from the link' }],
    ['a web link argument is ignored', ['/app', 'https://example.com/dym://join/x'], { kind: 'none' }]
  ])('%s', (_what, argv, expected) => {
    expect(parseDeepLink(argv)).toEqual(expected)
  })
})
