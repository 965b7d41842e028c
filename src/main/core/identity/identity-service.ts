import { DymError } from '../../../shared/contract/errors'
import type { IdentityView, SignInMethod } from '../../../shared/contract/identity'
import type { Verification } from '../../../shared/contract/people'
import { createSerialQueue } from '../files/json-file'
import type { Service, ServiceContext } from '../service'
import type { SettingsApi } from '../settings/settings-service'
import { checkCredentialWithKey, type ThreeBotCredential } from './credential'
import { createCredentialVerifier, type VerifyCredential } from './credential-verifier'
import { createDirectoryClient, type DirectoryClientOptions } from './directory-client'
import { createIdentityStore, type StoredIdentity } from './identity-store'
import { createKeyDirectory, type KeyDirectory } from './key-directory'
import { createKeyPins } from './key-pins'
import { createFileKeyVault, type KeyVault, type SecretCodec } from './key-vault'
import { ed25519FromSeed, keyFingerprint, newEd25519Key, peerIdOfKey, toBase64, type Ed25519Key } from './keys'
import type { LoginWindow } from './login-window'
import type { PeerIdentity } from './peer-identity'
import { createPeerVerifier } from './peer-verifier'
import { restoreWithSeed } from './seed-restore'
import { createThreefoldLoginFlow } from './threefold-login-flow'
import { LOGIN_TIMEOUT_MS } from './threefold-connect'

type IdentityMethod =
  | 'identity.current'
  | 'identity.restore'
  | 'identity.guest'
  | 'identity.threefoldLogin.start'
  | 'identity.threefoldLogin.complete'
  | 'identity.threefoldLogin.cancel'
  | 'identity.threefoldLogin.run'
  | 'identity.signOut'
  | 'identity.acceptKeyChange'

export interface IdentityChange {
  view: IdentityView
  /** The libp2p identity changed (sign-out made way for a new device key): restart the node. */
  deviceKeyChanged: boolean
}

/** The identity service: its contract handlers, the PeerIdentity the p2p layer uses, and more. */
export interface IdentityService extends Service<IdentityMethod>, PeerIdentity {
  current(): IdentityView
  /** Sign-in, sign-out and changes of our own verification; returns the unsubscribe. */
  onChange(listener: (change: IdentityChange) => void): () => void
  /** The one credential check (also used inside verifyPeer). */
  readonly verifyCredential: VerifyCredential
  readonly keys: KeyDirectory
}

export interface IdentityServiceOptions {
  context: ServiceContext
  settings: SettingsApi
  /** Where the device key rests; default: device-key.json in the data dir, sealed by keyCodec if given. */
  vault?: KeyVault
  keyCodec?: SecretCodec
  /** The desktop app's login window; absent in the headless host. */
  loginWindow?: LoginWindow
  /** For tests: directory timeouts and fetch. */
  directory?: Pick<DirectoryClientOptions, 'timeoutMs' | 'maxBytes' | 'fetch'>
}

type OwnStatus = { verification: Exclude<Verification, 'guest'>; warning?: string }

export function createIdentityService(options: IdentityServiceOptions): IdentityService {
  const { context, settings } = options
  const log = context.log
  const vault =
    options.vault ?? createFileKeyVault({ dataDir: context.dataDir, log, ...(options.keyCodec ? { codec: options.keyCodec } : {}) })
  const store = createIdentityStore(context.dataDir, log)
  const pins = createKeyPins(context.dataDir, log)
  const client = createDirectoryClient({ ...options.directory, baseUrl: () => settings.current().directoryUrl })
  const keys = createKeyDirectory(client, pins)
  const verifyCredential = createCredentialVerifier({ appId: () => settings.current().appId, keys })
  const verifyPeer = createPeerVerifier(verifyCredential)
  const login = createThreefoldLoginFlow()
  const serial = createSerialQueue()
  const keyOps = createSerialQueue()
  const listeners = new Set<(change: IdentityChange) => void>()

  let deviceKey: Ed25519Key | null = null
  let signedIn: StoredIdentity | null = null
  let own: OwnStatus = { verification: 'warning' }
  let stopped = false
  let windowOpen = false
  let unsubscribeSettings: (() => void) | null = null

  /** The device key, made on first use; a sign-out wipes it and the next use makes a new one. */
  const ensureDeviceKey = () =>
    keyOps(async () => {
      if (deviceKey) return deviceKey
      const seed = await vault.load()
      if (seed) deviceKey = ed25519FromSeed(seed)
      else {
        deviceKey = newEd25519Key()
        await vault.save(deviceKey.seed)
        log.info(`made a new device key (${keyFingerprint(deviceKey.publicKey)}), stored as ${vault.protection}`)
      }
      return deviceKey
    })

  function view(): IdentityView {
    if (!signedIn || !deviceKey) return { signedIn: false }
    const pub = deviceKey.publicKey
    const base = { peerId: peerIdOfKey(pub), fingerprint: keyFingerprint(pub) }
    const person =
      signedIn.kind === 'guest'
        ? { ...base, displayName: signedIn.displayName, verification: 'guest' as const }
        : { ...base, name: signedIn.credential.name, displayName: signedIn.credential.name, ...own }
    const via: SignInMethod = signedIn.kind === 'guest' ? 'guest' : signedIn.via
    return { signedIn: true, via, person, publicKey: toBase64(pub), signedInAt: signedIn.signedInAt }
  }

  function changed(deviceKeyChanged = false): IdentityView {
    const current = view()
    context.emit('identity.changed', current)
    for (const listener of listeners) {
      try {
        listener({ view: current, deviceKeyChanged })
      } catch (err) {
        log.warn('identity listener threw', err)
      }
    }
    return current
  }

  /** Check our own credential with the directory, in the background; the badge follows. */
  async function refreshOwnVerification(): Promise<void> {
    const identity = signedIn
    if (!identity || identity.kind !== '3bot' || !deviceKey) return
    const check = await verifyCredential(identity.credential, deviceKey.publicKey)
    if (stopped || signedIn !== identity) return
    const next: OwnStatus =
      check.verdict === 'verified' ? { verification: 'verified' } : { verification: 'warning', warning: check.message.slice(0, 300) }
    if (next.verification === own.verification && next.warning === own.warning) return
    if (next.verification === 'warning') log.warn(`own identity: ${next.warning}`)
    own = next
    changed()
  }

  /** Before the directory answers: a signature that checks out against the pinned key. */
  function statusFromPin(credential: ThreeBotCredential, devicePublicKey: Uint8Array): OwnStatus {
    const pin = pins.get(credential.name)
    if (!pin) return { verification: 'warning', warning: `Checking ${credential.name} with the ThreeFold directory…` }
    const check = checkCredentialWithKey(credential, devicePublicKey, pin.publicKey, settings.current().appId)
    return check.verdict === 'verified' ? { verification: 'verified' } : { verification: 'warning', warning: check.message }
  }

  async function signIn(identity: StoredIdentity, status: OwnStatus): Promise<IdentityView> {
    await store.save(identity)
    signedIn = identity
    own = status
    log.info(
      `signed in as ${identity.kind === 'guest' ? `guest "${identity.displayName}"` : `${identity.credential.name} (${identity.via}, ${status.verification})`}`
    )
    return changed()
  }

  function requireSignedOut(): void {
    if (signedIn) throw new DymError('conflict', 'Already signed in: sign out first.')
  }

  function threeBotIdentity(via: 'seed' | 'threefold-connect', credential: ThreeBotCredential, key: Ed25519Key): StoredIdentity {
    return { v: 1, kind: '3bot', via, credential, devicePublicKey: toBase64(key.publicKey), signedInAt: Date.now() }
  }

  const completeLogin = (redirectUrl: string) =>
    serial(async () => {
      requireSignedOut()
      const key = await ensureDeviceKey()
      const credential = await login.complete(redirectUrl, verifyCredential)
      return signIn(threeBotIdentity('threefold-connect', credential, key), { verification: 'verified' })
    })

  const startLogin = () =>
    serial(async () => {
      requireSignedOut()
      const key = await ensureDeviceKey()
      return login.start(key.publicKey, settings.current())
    })

  return {
    name: 'identity',
    keys,
    verifyCredential,
    handlers: {
      'identity.current': () => view(),
      'identity.restore': ({ name, words }) =>
        serial(async () => {
          requireSignedOut()
          const key = await ensureDeviceKey()
          const result = await restoreWithSeed({ name, words, appId: settings.current().appId, devicePublicKey: key.publicKey, keys })
          const status: OwnStatus = result.warning
            ? { verification: 'warning', warning: result.warning.slice(0, 300) }
            : { verification: 'verified' }
          return signIn(threeBotIdentity('seed', result.credential, key), status)
        }),
      'identity.guest': ({ displayName }) =>
        serial(async () => {
          requireSignedOut()
          const key = await ensureDeviceKey()
          return signIn(
            { v: 1, kind: 'guest', displayName, devicePublicKey: toBase64(key.publicKey), signedInAt: Date.now() },
            { verification: 'warning' }
          )
        }),
      'identity.threefoldLogin.start': () => startLogin(),
      'identity.threefoldLogin.complete': ({ redirectUrl }) => completeLogin(redirectUrl),
      'identity.threefoldLogin.cancel': () => {
        login.cancel()
        return { ok: true as const }
      },
      'identity.threefoldLogin.run': async () => {
        const window = options.loginWindow
        if (!window) {
          throw new DymError(
            'unavailable',
            'Signing in with ThreeFold Connect needs the desktop app (it opens the login page in its own window). Here, restore with your seed phrase or join as a guest.'
          )
        }
        if (windowOpen) throw new DymError('conflict', 'The ThreeFold Connect login window is already open.')
        windowOpen = true
        try {
          const started = await startLogin()
          const result = await window.open({
            loginUrl: started.loginUrl,
            redirectPrefix: started.redirectPrefix,
            timeoutMs: LOGIN_TIMEOUT_MS
          })
          if (result.kind === 'redirect') return await completeLogin(result.url)
          login.cancel()
          if (result.kind === 'closed') throw new DymError('denied', 'The login window was closed before the login finished.')
          throw new DymError('denied', 'No answer from ThreeFold Connect within 2 minutes. Try again, and approve the login on your phone.')
        } finally {
          windowOpen = false
        }
      },
      'identity.signOut': () =>
        serial(async () => {
          login.cancel()
          await store.remove()
          await keyOps(async () => {
            await vault.wipe()
            deviceKey?.seed.fill(0)
            deviceKey = null
          })
          const was = signedIn
          signedIn = null
          log.info(`signed out${was ? '' : ' (was not signed in)'}: device key and credential removed`)
          return changed(true)
        }),
      'identity.acceptKeyChange': async ({ name }) => {
        const result = await keys.acceptCurrentKey(name)
        if (!result.ok) throw new DymError(result.reason === 'unknown-user' ? 'not-found' : 'unavailable', result.message)
        if (signedIn?.kind === '3bot' && signedIn.credential.name === name) void refreshOwnVerification()
        return { ok: true as const }
      }
    },

    async start() {
      await pins.load()
      const key = await ensureDeviceKey()
      const stored = await store.load()
      if (stored && stored.devicePublicKey !== toBase64(key.publicKey)) {
        log.warn('the saved sign-in is for another device key; signed out')
        await store.remove()
      } else if (stored) {
        signedIn = stored
        if (stored.kind === '3bot') {
          own = statusFromPin(stored.credential, key.publicKey)
          void refreshOwnVerification().catch((err: unknown) => log.warn('checking own identity failed', err))
        }
      }
      // A new directory or app id changes what our credential is worth: check again.
      unsubscribeSettings = settings.onChange((next, previous) => {
        if (next.directoryUrl !== previous.directoryUrl || next.appId !== previous.appId) {
          void refreshOwnVerification().catch((err: unknown) => log.warn('checking own identity failed', err))
        }
      })
    },

    async stop() {
      stopped = true
      login.cancel()
      unsubscribeSettings?.()
      listeners.clear()
    },

    current: view,
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    // PeerIdentity: what the room protocol uses.
    async deviceKeySeed() {
      return Uint8Array.from((await ensureDeviceKey()).seed)
    },
    async presentation() {
      if (!signedIn) return null
      if (signedIn.kind === 'guest') return { v: 1, kind: 'guest', displayName: signedIn.displayName }
      return signedIn.credential
    },
    verifyPeer
  }
}
