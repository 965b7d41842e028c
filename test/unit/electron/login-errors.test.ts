import { describe, expect, it } from 'vitest'
import { DymError } from '../../../src/shared/contract/index'
import { loginFailureToDymError, LoginWindowError } from '../../../src/main/electron/login-errors'

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
