import { DymError } from '../../../shared/contract/errors'
import type { ThreefoldLoginStart } from '../../../shared/contract/identity'
import type { Settings } from '../../../shared/contract/settings'
import { bindingState, newBindingNonce, type ThreeBotCredential } from './credential'
import type { VerifyCredential } from './credential-verifier'
import { buildLoginUrl, LOGIN_TIMEOUT_MS, loginRedirectPrefix, newAppKeyPair, parseLoginRedirect } from './threefold-connect'

interface PendingLogin {
  state: string
  nonce: string
  appId: string
  devicePublicKey: Uint8Array
  /** kept in memory for this login only, to open extra data (we ask for none) */
  appSecretKey: Uint8Array
  expiresAt: number
}

/**
 * One ThreeFold Connect login at a time: `start` makes a state bound to the device key and the
 * login URL; `complete` reads the redirect, checks the signed attempt with the one verify
 * function and returns the credential. The state is the only replay guard the protocol has,
 * so it is single-use: any answer ends the login.
 */
export function createThreefoldLoginFlow(now: () => number = Date.now) {
  let pending: PendingLogin | null = null

  const clear = () => {
    pending?.appSecretKey.fill(0)
    pending = null
  }

  return {
    start(devicePublicKey: Uint8Array, settings: Settings): ThreefoldLoginStart {
      clear()
      const nonce = newBindingNonce()
      const state = bindingState(devicePublicKey, nonce)
      const app = newAppKeyPair()
      const expiresAt = now() + LOGIN_TIMEOUT_MS
      pending = { state, nonce, appId: settings.appId, devicePublicKey, appSecretKey: app.secretKey, expiresAt }
      const loginUrl = buildLoginUrl({ loginUrl: settings.loginUrl, state, appId: settings.appId, appPublicKey: app.publicKey })
      return { loginUrl, state, redirectPrefix: loginRedirectPrefix(settings.appId), expiresAt }
    },

    cancel: clear,

    get active(): boolean {
      return pending !== null
    },

    async complete(redirectUrl: string, verify: VerifyCredential): Promise<ThreeBotCredential> {
      const login = pending
      if (!login) throw new DymError('conflict', 'No ThreeFold Connect login is in progress: start again.')
      if (now() > login.expiresAt) {
        clear()
        throw new DymError('denied', 'The login took longer than 2 minutes and has expired: start again.')
      }
      const answer = parseLoginRedirect(redirectUrl, { appId: login.appId })
      // Not an answer for us (a stray navigation): keep waiting for the real one.
      if (answer.kind === 'invalid') throw new DymError('bad-request', answer.message)
      clear()
      if (answer.kind === 'cancelled') throw new DymError('denied', 'The login was cancelled in ThreeFold Connect.')
      if (answer.kind === 'error') throw new DymError('denied', answer.message)
      const credential: ThreeBotCredential = {
        v: 1,
        kind: '3bot',
        name: answer.doubleName,
        nonce: login.nonce,
        signedAttempt: answer.signedAttempt
      }
      const check = await verify(credential, login.devicePublicKey)
      if (check.verdict === 'verified') return credential
      switch (check.reason) {
        case 'directory-unreachable':
        case 'directory-invalid':
          throw new DymError('unavailable', `The login could not be checked: ${check.message}`)
        case 'unknown-user':
          throw new DymError('not-found', check.message)
        case 'key-changed':
          throw new DymError('denied', `${check.message} Sign in with your seed phrase to confirm the new key.`)
        default:
          throw new DymError('denied', `The login answer did not check out: ${check.message}`)
      }
    }
  }
}

export type ThreefoldLoginFlow = ReturnType<typeof createThreefoldLoginFlow>
