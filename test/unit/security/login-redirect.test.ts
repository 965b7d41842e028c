import { describe, expect, it } from 'vitest'
import { classifyLoginNavigation, isAcceptableLoginUrl, isLoginRedirect } from '../../../src/shared/security/login-redirect'

const prefix = 'https://meet.example.org/login/callback'
const loginUrl = 'https://login.threefold.me/?state=abc&appid=meet.example.org&redirecturl=/login/callback'

describe('isLoginRedirect', () => {
  it.each([
    ['the signed attempt redirect', 'https://meet.example.org/login/callback?signedAttempt=%7B%22a%22%7D', true],
    ['the cancel redirect', 'https://meet.example.org/login/callback?error=CancelledByUser', true],
    ['upper-case host', 'https://MEET.example.org/login/callback?x=1', true],
    ['explicit default port', 'https://meet.example.org:443/login/callback', true],
    ['with a fragment', 'https://meet.example.org/login/callback#done', true],
    ['plain http', 'http://meet.example.org/login/callback?signedAttempt=x', false],
    ['another port', 'https://meet.example.org:8443/login/callback', false],
    ['look-alike host suffix', 'https://meet.example.org.evil.com/login/callback', false],
    ['user info trick', 'https://meet.example.org@evil.com/login/callback', false],
    ['user info on our host', 'https://x@meet.example.org/login/callback', false],
    ['a longer path', 'https://meet.example.org/login/callbackX', false],
    ['a sub path', 'https://meet.example.org/login/callback/more', false],
    ['a dot-dot path that normalises elsewhere', 'https://meet.example.org/login/callback/../other', false],
    ['the login page itself', loginUrl, false],
    ['garbage', 'not a url', false],
    ['oversize', 'https://meet.example.org/login/callback?' + 'a'.repeat(20_000), false]
  ])('%s -> %s', (_what, url, expected) => {
    expect(isLoginRedirect(url, prefix)).toBe(expected)
  })

  it('a prefix ending in / matches the paths below it', () => {
    expect(isLoginRedirect('https://meet.example.org/cb/x?signedAttempt=1', 'https://meet.example.org/cb/')).toBe(true)
    expect(isLoginRedirect('https://meet.example.org/cbx', 'https://meet.example.org/cb/')).toBe(false)
  })

  it('works with a local test server redirect', () => {
    expect(isLoginRedirect('http://127.0.0.1:4567/callback?signedAttempt=1', 'http://127.0.0.1:4567/callback')).toBe(true)
    expect(isLoginRedirect('http://127.0.0.1:4568/callback?signedAttempt=1', 'http://127.0.0.1:4567/callback')).toBe(false)
  })
})

describe('classifyLoginNavigation', () => {
  it.each([
    ['our redirect is captured', 'https://meet.example.org/login/callback?signedAttempt=x', 'capture'],
    ['pages of the login server are allowed', 'https://login.threefold.me/verify?x=1', 'allow'],
    ['another site is blocked', 'https://evil.example/', 'block'],
    ['http on the login host is blocked', 'http://login.threefold.me/', 'block'],
    ['the phone app scheme is blocked', 'threebot://login?state=1', 'block'],
    ['file URLs are blocked', 'file:///etc/passwd', 'block'],
    ['javascript URLs are blocked', 'javascript:alert(1)', 'block']
  ])('%s', (_what, url, expected) => {
    expect(classifyLoginNavigation(url, { loginUrl, redirectPrefix: prefix })).toBe(expected)
  })
})

describe('isAcceptableLoginUrl', () => {
  it.each([
    ['https://login.threefold.me/?state=1', true],
    ['http://127.0.0.1:5000/?state=1', true],
    ['http://localhost:5000/', true],
    ['http://login.threefold.me/', false],
    ['https://u:p@login.threefold.me/', false],
    ['file:///tmp/login.html', false],
    ['app://dym/', false]
  ])('%s -> %s', (url, expected) => {
    expect(isAcceptableLoginUrl(url)).toBe(expected)
  })
})
