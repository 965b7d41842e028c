import { base64 } from '@scure/base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindingState, newBindingNonce, openSignedAttempt, type ThreeBotCredential } from '../../../src/main/core/identity/credential'
import { newEd25519Key } from '../../../src/main/core/identity/keys'
import {
  buildLoginUrl,
  decryptAttemptData,
  LOGIN_REDIRECT_PATH,
  loginRedirectPrefix,
  newAppKeyPair,
  parseLoginRedirect
} from '../../../src/main/core/identity/threefold-connect'
import { createThreefoldLoginFlow } from '../../../src/main/core/identity/threefold-login-flow'
import { Settings } from '../../../src/shared/contract/settings'
import { startThreefoldStandin, type ThreefoldStandin } from '../../support/threefold-standin/server'
import { ALICE } from '../../support/threefold-standin/test-identities'
import { APP_ID, verifierAgainst } from './helpers'

describe('ThreeFold Connect: plain functions (no window, no Electron)', () => {
  let standin: ThreefoldStandin
  beforeAll(async () => {
    standin = await startThreefoldStandin()
  })
  afterAll(() => standin.close())

  it('builds the login URL with state, app id, the X25519 key (URL-encoded base64) and the redirect path', () => {
    const app = newAppKeyPair()
    const url = new URL(
      buildLoginUrl({
        loginUrl: 'https://login.threefold.me',
        state: 'abc123XYZ',
        appId: APP_ID,
        appPublicKey: app.publicKey,
        scope: { email: true },
        username: 'alice.3bot'
      })
    )
    expect(url.origin + url.pathname).toBe('https://login.threefold.me/')
    expect(url.searchParams.get('state')).toBe('abc123XYZ')
    expect(url.searchParams.get('appid')).toBe('digitalyou.meet')
    expect(url.searchParams.get('publickey')).toBe(base64.encode(app.publicKey))
    expect(url.search).not.toMatch(/publickey=[^&]*[+/=]/) // encoded, never raw base64 characters
    expect(url.searchParams.get('redirecturl')).toBe(LOGIN_REDIRECT_PATH)
    expect(JSON.parse(url.searchParams.get('scope') ?? '')).toEqual({ email: true })
    expect(url.searchParams.get('username')).toBe('alice.3bot')
    expect(() => buildLoginUrl({ loginUrl: 'https://x.test', state: 'no-dashes', appId: APP_ID, appPublicKey: app.publicKey })).toThrow(
      /letters and digits/
    )
  })

  it('login URL -> phone approval -> redirect -> credential that verifies for this device', async () => {
    const device = newEd25519Key()
    const nonce = newBindingNonce()
    const app = newAppKeyPair()
    const loginUrl = buildLoginUrl({
      loginUrl: standin.url,
      state: bindingState(device.publicKey, nonce),
      appId: APP_ID,
      appPublicKey: app.publicKey
    })
    const redirect = standin.approve(loginUrl, 'alice.3bot')
    expect(redirect.startsWith(loginRedirectPrefix(APP_ID))).toBe(true)
    const answer = parseLoginRedirect(redirect, { appId: APP_ID })
    if (answer.kind !== 'attempt') throw new Error(`expected an attempt, got ${answer.kind}`)
    expect(answer.doubleName).toBe('alice.3bot')
    const credential: ThreeBotCredential = { v: 1, kind: '3bot', name: answer.doubleName, nonce, signedAttempt: answer.signedAttempt }
    const v = await verifierAgainst(standin.url)
    try {
      expect(await v.verify(credential, device.publicKey)).toMatchObject({ verdict: 'verified', name: 'alice.3bot' })
    } finally {
      v.cleanup()
    }
  })

  it('the stand-in login page redirects as the phone approval would (what the Electron window sees)', async () => {
    const app = newAppKeyPair()
    const loginUrl = buildLoginUrl({ loginUrl: standin.url, state: 'State42', appId: APP_ID, appPublicKey: app.publicKey })
    standin.setLoginAnswer({ kind: 'approve', as: 'alice.3bot' })
    const approved = await fetch(loginUrl, { redirect: 'manual' })
    expect(approved.status).toBe(302)
    expect(parseLoginRedirect(approved.headers.get('location') ?? '', { appId: APP_ID })).toMatchObject({
      kind: 'attempt',
      doubleName: 'alice.3bot'
    })
    standin.setLoginAnswer({ kind: 'cancel' })
    const cancelled = await fetch(loginUrl, { redirect: 'manual' })
    expect(parseLoginRedirect(cancelled.headers.get('location') ?? '', { appId: APP_ID })).toEqual({ kind: 'cancelled' })
  })

  it('parses cancel, other errors, and refuses anything that is not our redirect', () => {
    const prefix = loginRedirectPrefix(APP_ID)
    expect(parseLoginRedirect(`${prefix}?error=CancelledByUser`, { appId: APP_ID })).toEqual({ kind: 'cancelled' })
    expect(parseLoginRedirect(`${prefix}?error=Expired`, { appId: APP_ID })).toMatchObject({
      kind: 'error',
      message: 'The login page reported: Expired'
    })
    const attempt = encodeURIComponent(JSON.stringify({ signedAttempt: 'abc', doubleName: 'Alice.3bot' }))
    expect(parseLoginRedirect(`${prefix}?signedAttempt=${attempt}`, { appId: APP_ID })).toEqual({
      kind: 'attempt',
      signedAttempt: 'abc',
      doubleName: 'alice.3bot'
    })
    for (const bad of [
      `https://evil.example${LOGIN_REDIRECT_PATH}?signedAttempt=${attempt}`,
      `http://${APP_ID}${LOGIN_REDIRECT_PATH}?signedAttempt=${attempt}`,
      `https://${APP_ID}/elsewhere?signedAttempt=${attempt}`,
      `${prefix}?signedAttempt=not-json`,
      `${prefix}?signedAttempt=${encodeURIComponent('{"doubleName":"a.3bot"}')}`,
      `${prefix}?nothing=here`,
      'not a url',
      `${prefix}?signedAttempt=${'x'.repeat(20_000)}`
    ]) {
      expect(parseLoginRedirect(bad, { appId: APP_ID }).kind, bad.slice(0, 80)).toBe('invalid')
    }
  })

  it('verifies the signed attempt and decrypts its data (email scope) with the app key', async () => {
    const app = newAppKeyPair()
    const loginUrl = buildLoginUrl({
      loginUrl: standin.url,
      state: 'State42',
      appId: APP_ID,
      appPublicKey: app.publicKey,
      scope: { email: true }
    })
    const data = { email: { email: 'alice@example.org', sei: 'signed-email-identifier' } }
    const answer = parseLoginRedirect(standin.approve(loginUrl, 'alice.3bot', { data }), { appId: APP_ID })
    if (answer.kind !== 'attempt') throw new Error('expected an attempt')
    const opened = openSignedAttempt(answer.signedAttempt, ALICE.publicKey)
    if (!('statement' in opened)) throw new Error(opened.message)
    expect(opened.statement).toMatchObject({ signedState: 'State42', appId: APP_ID, doubleName: 'alice.3bot' })
    if (!opened.statement.data) throw new Error('expected data')
    expect(decryptAttemptData(opened.statement.data, ALICE.publicKey, app.secretKey)).toEqual(data)
    // Another app's key cannot open it.
    expect(decryptAttemptData(opened.statement.data, ALICE.publicKey, newAppKeyPair().secretKey)).toBeNull()
  })

  it('a login answered after 2 minutes has expired, even when the phone signed it', async () => {
    let clock = 1_000_000
    const flow = createThreefoldLoginFlow(() => clock)
    const device = newEd25519Key()
    const start = flow.start(device.publicKey, Settings.parse({ loginUrl: standin.url, directoryUrl: standin.url }))
    expect(start.expiresAt).toBe(clock + 120_000)
    const redirect = standin.approve(start.loginUrl, 'alice.3bot')
    clock += 120_001
    const verify = () => Promise.reject(new Error('must not get this far'))
    await expect(flow.complete(redirect, verify)).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('expired') })
    expect(flow.active).toBe(false)
  })
})
