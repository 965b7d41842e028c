import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../src/shared/security/csp'
import { isExternalLinkAllowed, isNavigationAllowed, isPermissionAllowed } from '../../../src/shared/security/policy'

describe('permission policy', () => {
  it.each([
    ['media', 'app://dym/index.html', true],
    ['display-capture', 'app://dym/', true],
    ['media', 'https://evil.example/', false],
    ['media', 'app://evil/index.html', false],
    ['media', 'file:///etc/passwd', false],
    ['geolocation', 'app://dym/', false],
    ['notifications', 'app://dym/', false],
    ['openExternal', 'app://dym/', false],
    ['media', 'not a url', false]
  ])('%s for %s -> %s', (permission, url, allowed) => {
    expect(isPermissionAllowed(permission, url)).toBe(allowed)
  })
})

describe('navigation policy', () => {
  it.each([
    ['app://dym/index.html#/meeting', true],
    ['app://dym.evil.com/', false],
    ['https://login.threefold.me/', false],
    ['file:///tmp/x.html', false],
    ['javascript:alert(1)', false],
    ['', false]
  ])('%s -> %s', (url, allowed) => {
    expect(isNavigationAllowed(url)).toBe(allowed)
  })

  it.each([
    ['https://threefold.io/', true],
    ['http://threefold.io/', false],
    ['https://user:pw@threefold.io/', false],
    ['file:///etc/passwd', false],
    ['dym://join/abc', false]
  ])('external link %s -> %s', (url, allowed) => {
    expect(isExternalLinkAllowed(url)).toBe(allowed)
  })
})

describe('content security policy', () => {
  it('allows only our own scripts and no eval, plugins or frames', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(eval|inline)/)
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-src 'none'")
    expect(csp).toContain("connect-src 'self';")
  })

  it('adds the headless host socket to connect-src only', () => {
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5000'] })).toContain("connect-src 'self' ws://127.0.0.1:5000;")
  })
})
