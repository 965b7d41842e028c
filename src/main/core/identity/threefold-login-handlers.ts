import { DymError } from '../../../shared/contract/errors'
import type { IdentityView } from '../../../shared/contract/identity'
import type { Handler } from '../service'
import type { SettingsApi } from '../settings/settings-service'
import type { ThreeBotCredential } from './credential'
import type { VerifyCredential } from './credential-verifier'
import type { DeviceKey } from './device-key'
import type { Ed25519Key } from './keys'
import type { LoginWindow } from './login-window'
import { LOGIN_TIMEOUT_MS } from './threefold-connect'
import { createThreefoldLoginFlow } from './threefold-login-flow'

type LoginMethod =
  'identity.threefoldLogin.start' | 'identity.threefoldLogin.complete' | 'identity.threefoldLogin.cancel' | 'identity.threefoldLogin.run'

export interface ThreefoldLoginDeps {
  /** The identity service's queue: sign-in steps never interleave with each other or sign-out. */
  serial: <T>(job: () => Promise<T>) => Promise<T>
  deviceKey: DeviceKey
  settings: SettingsApi
  verifyCredential: VerifyCredential
  /** The desktop app's login window; absent in the headless host. */
  loginWindow?: LoginWindow
  requireSignedOut(): void
  /** Sign in with the credential the login gave, bound to this device key. */
  signIn(credential: ThreeBotCredential, key: Ed25519Key): Promise<IdentityView>
}

/**
 * Signing in with ThreeFold Connect: step by step (start, then complete with the redirect the
 * login page sent the browser to), or both steps in the desktop app's own login window (run).
 */
export function createThreefoldLoginHandlers(deps: ThreefoldLoginDeps): {
  handlers: { [M in LoginMethod]: Handler<M> }
  /** End a login in progress (sign-out, shutdown). */
  cancel(): void
} {
  const login = createThreefoldLoginFlow()
  let windowOpen = false

  const start = () =>
    deps.serial(async () => {
      deps.requireSignedOut()
      const key = await deps.deviceKey.get()
      return login.start(key.publicKey, deps.settings.current())
    })

  const complete = (redirectUrl: string) =>
    deps.serial(async () => {
      deps.requireSignedOut()
      const key = await deps.deviceKey.get()
      const credential = await login.complete(redirectUrl, deps.verifyCredential)
      return deps.signIn(credential, key)
    })

  async function runInWindow(window: LoginWindow): Promise<IdentityView> {
    if (windowOpen) throw new DymError('conflict', 'The ThreeFold Connect login window is already open.')
    windowOpen = true
    try {
      const started = await start()
      const result = await window.open({ loginUrl: started.loginUrl, redirectPrefix: started.redirectPrefix, timeoutMs: LOGIN_TIMEOUT_MS })
      if (result.kind === 'redirect') return await complete(result.url)
      login.cancel()
      if (result.kind === 'closed') throw new DymError('denied', 'The login window was closed before the login finished.')
      throw new DymError('denied', 'No answer from ThreeFold Connect within 2 minutes. Try again, and approve the login on your phone.')
    } finally {
      windowOpen = false
    }
  }

  return {
    cancel: () => login.cancel(),
    handlers: {
      'identity.threefoldLogin.start': () => start(),
      'identity.threefoldLogin.complete': ({ redirectUrl }) => complete(redirectUrl),
      'identity.threefoldLogin.cancel': () => {
        login.cancel()
        return { ok: true as const }
      },
      'identity.threefoldLogin.run': async () => {
        if (!deps.loginWindow) {
          throw new DymError(
            'unavailable',
            'Signing in with ThreeFold Connect needs the desktop app (it opens the login page in its own window). Here, restore with your seed phrase or join as a guest.'
          )
        }
        return runInWindow(deps.loginWindow)
      }
    }
  }
}
