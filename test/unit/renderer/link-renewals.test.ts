import { describe, expect, it } from 'vitest'
import { LinkRenewals } from '../../../src/renderer/features/call/link-renewals'

describe('link renewals', () => {
  it('replace a link that never connected once, and one out of step three times, per member', () => {
    const renewals = new LinkRenewals()
    expect(renewals.allow('a', 'never-connected')).toBe(true)
    expect(renewals.allow('a', 'never-connected')).toBe(false)
    expect(renewals.allow('b', 'never-connected')).toBe(true)
    expect([1, 2, 3, 4].map(() => renewals.allow('a', 'out-of-step'))).toEqual([true, true, true, false])
  })

  it('start afresh for a member that left and came back', () => {
    const renewals = new LinkRenewals()
    renewals.allow('a', 'never-connected')
    for (let i = 0; i < 3; i++) renewals.allow('a', 'out-of-step')
    renewals.forget('a')
    expect(renewals.allow('a', 'never-connected')).toBe(true)
    expect(renewals.allow('a', 'out-of-step')).toBe(true)
  })
})
