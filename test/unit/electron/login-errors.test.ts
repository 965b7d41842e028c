import { describe, expect, it } from 'vitest'
import { DymError } from '../../../src/shared/contract/index'
import { loginFailureToDymError, LoginWindowError, toLoginOutcome } from '../../../src/main/electron/login-errors'

describe('login window failures as user-facing errors', () => {
  it.each([
    ['closed', 'denied', /cancelled/],
    ['timeout', 'unavailable', /2 minutes/],
    ['load-failed', 'unavailable', /could not be loaded \(net::ERR_NAME_NOT_RESOLVED\)/],
    ['busy', 'conflict', /already open/],
    ['bad-url', 'bad-request', /net::ERR_NAME_NOT_RESOLVED/]
  ] as const)('%s -> %s', (reason, code, message) => {
    const err = loginFailureToDymError(new LoginWindowError(reason, 'net::ERR_NAME_NOT_RESOLVED'))
    expect(err).toBeInstanceOf(DymError)
    expect(err.code).toBe(code)
    expect(err.message).toMatch(message)
  })

  it('passes DymErrors through and wraps anything else as internal', () => {
    const own = new DymError('denied', 'x')
    expect(loginFailureToDymError(own)).toBe(own)
    expect(loginFailureToDymError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' })
  })
})

describe('toLoginOutcome (the identity service port)', () => {
  it.each([
    [
      'a redirect',
      () => Promise.resolve('https://digitalyou.meet/dym/threefold-login?signedAttempt=x'),
      { kind: 'redirect', url: 'https://digitalyou.meet/dym/threefold-login?signedAttempt=x' }
    ],
    ['closed by the person', () => Promise.reject(new LoginWindowError('closed', 'x')), { kind: 'closed' }],
    ['timed out', () => Promise.reject(new LoginWindowError('timeout', 'x')), { kind: 'timeout' }]
  ])('%s', async (_what, redirect, expected) => {
    expect(await toLoginOutcome(redirect())).toEqual(expected)
  })

  it('other failures are errors with a message for the person', async () => {
    await expect(toLoginOutcome(Promise.reject(new LoginWindowError('load-failed', 'net::ERR_CONNECTION_REFUSED')))).rejects.toMatchObject({
      code: 'unavailable'
    })
    await expect(toLoginOutcome(Promise.reject(new LoginWindowError('busy', 'x')))).rejects.toMatchObject({ code: 'conflict' })
  })
})
