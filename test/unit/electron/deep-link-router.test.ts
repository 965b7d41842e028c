import { describe, expect, it } from 'vitest'
import { DeepLinkRouter } from '../../../src/main/electron/deep-link-router'

function target() {
  const calls: string[] = []
  return { calls, offerInvite: (i: string) => calls.push(`invite ${i}`), refuseLink: (r: string) => calls.push(`refused ${r}`) }
}

describe('DeepLinkRouter', () => {
  it('keeps the latest link that came before the core and hands it over on attach', () => {
    const router = new DeepLinkRouter()
    expect(router.receive('dym://join/first')).toBe(true)
    expect(router.receive(['/app', 'dym://join/second'])).toBe(true)
    const t = target()
    router.attach(t)
    expect(t.calls).toEqual(['invite dym://join/second'])
  })

  it('delivers at once once attached; a plain start is not a link', () => {
    const router = new DeepLinkRouter()
    const t = target()
    router.attach(t)
    expect(router.receive(['/app', '--no-sandbox'])).toBe(false)
    router.receive('dym://join/abc')
    router.receive('dym://call/abc')
    expect(t.calls).toEqual(['invite dym://join/abc', 'refused the link is not a meeting invite'])
  })
})
