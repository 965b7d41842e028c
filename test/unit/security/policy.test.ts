import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../src/shared/security/csp'
import {
  isDisplayMediaRequestAllowed,
  isExternalLinkAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  type PermissionDetails
} from '../../../src/shared/security/policy'

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
    ['media', 'not a url', false],
    ['speaker-selection', 'app://dym/', true],
    ['clipboard-read', 'app://dym/', false],
    ['hid', 'app://dym/', false],
    ['local-fonts', 'app://dym/', false]
  ])('%s for %s -> %s', (permission, url, allowed) => {
    expect(isPermissionAllowed(permission, url)).toBe(allowed)
  })

  // What Electron passes: requests carry mediaTypes, checks carry one mediaType.
  it.each<[string, string, PermissionDetails, boolean]>([
    ['camera + mic request', 'media', { requestingUrl: 'app://dym/index.html', isMainFrame: true, mediaTypes: ['video', 'audio'] }, true],
    ['empty media request (device list)', 'media', { requestingUrl: 'app://dym/', isMainFrame: true, mediaTypes: [] }, true],
    ['unknown media type', 'media', { requestingUrl: 'app://dym/', isMainFrame: true, mediaTypes: ['video', 'x-sensor'] }, false],
    ['camera check', 'media', { requestingUrl: 'app://dym', isMainFrame: true, mediaType: 'video' }, true],
    ['unknown media check', 'media', { requestingUrl: 'app://dym', isMainFrame: true, mediaType: 'unknown' }, false],
    ['subframe of our page', 'media', { requestingUrl: 'app://dym/', isMainFrame: false, mediaTypes: ['audio'] }, false],
    ['screen capture request', 'display-capture', { requestingUrl: 'app://dym/', isMainFrame: true, mediaTypes: ['video'] }, true],
    [
      'screen capture from the login page',
      'display-capture',
      { requestingUrl: 'https://login.threefold.me/', isMainFrame: true, mediaTypes: ['video'] },
      false
    ],
    ['mic for a look-alike host', 'media', { requestingUrl: 'app://dym.evil/', isMainFrame: true, mediaTypes: ['audio'] }, false]
  ])('%s -> %s', (_what, permission, details, allowed) => {
    expect(isPermissionAllowed(permission, details)).toBe(allowed)
  })
})

describe('display media (screen picker) policy', () => {
  it.each([
    ['our page', 'app://dym', 'app://dym/index.html', true],
    ['our origin but frame gone', 'app://dym', null, false],
    ['a web page', 'https://evil.example', 'https://evil.example/', false],
    ['origin and frame disagree', 'app://dym', 'https://evil.example/', false]
  ])('%s -> %s', (_what, securityOrigin, frameUrl, allowed) => {
    expect(isDisplayMediaRequestAllowed({ securityOrigin, frameUrl })).toBe(allowed)
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
    ['dym://join/abc', false],
    ['https://example.com/' + 'a'.repeat(3000), false]
  ])('external link %s -> %s', (url, allowed) => {
    expect(isExternalLinkAllowed(url)).toBe(allowed)
  })
})

describe('content security policy', () => {
  it('allows only our own scripts and stylesheets: no eval, inline code or styles, plugins or frames', () => {
    const csp = contentSecurityPolicy()
    // Compiling WebAssembly (the noise suppressor's model) is all that is allowed beyond our files.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';")
    expect(csp).not.toMatch(/'unsafe-(eval|inline|hashes)'/)
    expect(csp).toContain("style-src 'self';")
    expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe-')
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-src 'none'")
    expect(csp).toContain("connect-src 'self';")
  })

  it('adds the headless host socket to connect-src only', () => {
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:5000'] })).toContain("connect-src 'self' ws://127.0.0.1:5000;")
  })
})
