import { DymError } from '../../../shared/contract/errors'
import type { IdentityView, SignInMethod } from '../../../shared/contract/identity'
import { createSerialQueue } from '../files/json-file'
import type { Service, ServiceContext } from '../service'
import type { SettingsApi } from '../settings/settings-service'
import type { ThreeBotCredential } from './credential'
import { createCredentialVerifier, type VerifyCredential } from './credential-verifier'
import { createDeviceKey } from './device-key'
import { createDirectoryClient, type DirectoryClientOptions } from './directory-client'
import { createIdentityStore, type StoredIdentity } from './identity-store'
import { createKeyDirectory, type KeyDirectory } from './key-directory'
import { createKeyPins } from './key-pins'
import { createFileKeyVault, type KeyVault, type SecretCodec } from './key-vault'
import { keyFingerprint, peerIdOfKey, toBase64, type Ed25519Key } from './keys'
import type { LoginWindow } from './login-window'
import { createOwnVerification, type OwnStatus } from './own-verification'
import type { PeerIdentity } from './peer-identity'
import { createPeerVerifier } from './peer-verifier'
import { restoreWithSeed } from './seed-restore'
import { createThreefoldLoginHandlers } from './threefold-login-handlers'

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

/**
 * Who this app is signed in as (a 3Bot name or a guest), on top of its parts: the device key
 * (device-key.ts), the sign-in on disk (identity-store.ts), the directory with pinned keys
 * (key-directory.ts), our own badge (own-verification.ts) and the ThreeFold Connect login
 * (threefold-login-handlers.ts). It is also the PeerIdentity the room protocol uses.
 */
export function createIdentityService(options: IdentityServiceOptions): IdentityService {
  const { context, settings } = options
  const log = context.log
  const appId = () => settings.current().appId
  const vault =
    options.vault ?? createFileKeyVault({ dataDir: context.dataDir, log, ...(options.keyCodec ? { codec: options.keyCodec } : {}) })
  const store = createIdentityStore(context.dataDir, log)
  const pins = createKeyPins(context.dataDir, log)
  const client = createDirectoryClient({ ...options.directory, baseUrl: () => settings.current().directoryUrl })
  const keys = createKeyDirectory(client, pins)
  const verifyCredential = createCredentialVerifier({ appId, keys })
  const deviceKey = createDeviceKey(vault, log)
  const own = createOwnVerification({ verifyCredential, pins, appId, log })
  const serial = createSerialQueue()
  const listeners = new Set<(change: IdentityChange) => void>()

  let signedIn: StoredIdentity | null = null
  let stopped = false
  let unsubscribeSettings: (() => void) | null = null

  const view = () => identityView(signedIn, deviceKey.loaded(), own.current())

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
    const key = deviceKey.loaded()
    if (!identity || identity.kind !== '3bot' || !key) return
    const next = await own.check(identity.credential, key.publicKey)
    if (!next || stopped || signedIn !== identity) return
    own.set(next)
    changed()
  }
  const refreshInBackground = () => void refreshOwnVerification().catch((err: unknown) => log.warn('checking own identity failed', err))

  async function signIn(identity: StoredIdentity, status: OwnStatus): Promise<IdentityView> {
    await store.save(identity)
    signedIn = identity
    own.set(status)
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

  const threefold = createThreefoldLoginHandlers({
    serial,
    deviceKey,
    settings,
    verifyCredential,
    ...(options.loginWindow ? { loginWindow: options.loginWindow } : {}),
    requireSignedOut,
    signIn: (credential, key) => signIn(threeBotIdentity('threefold-connect', credential, key), { verification: 'verified' })
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
          const key = await deviceKey.get()
          const result = await restoreWithSeed({ name, words, appId: appId(), devicePublicKey: key.publicKey, keys })
          const status: OwnStatus = result.warning
            ? { verification: 'warning', warning: result.warning.slice(0, 300) }
            : { verification: 'verified' }
          return signIn(threeBotIdentity('seed', result.credential, key), status)
        }),
      'identity.guest': ({ displayName }) =>
        serial(async () => {
          requireSignedOut()
          const key = await deviceKey.get()
          return signIn(
            { v: 1, kind: 'guest', displayName, devicePublicKey: toBase64(key.publicKey), signedInAt: Date.now() },
            { verification: 'warning' }
          )
        }),
      ...threefold.handlers,
      'identity.signOut': () =>
        serial(async () => {
          threefold.cancel()
          await store.remove()
          await deviceKey.wipe()
          const was = signedIn
          signedIn = null
          log.info(`signed out${was ? '' : ' (was not signed in)'}: device key and credential removed`)
          return changed(true)
        }),
      'identity.acceptKeyChange': async ({ name }) => {
        const result = await keys.acceptCurrentKey(name)
        if (!result.ok) throw new DymError(result.reason === 'unknown-user' ? 'not-found' : 'unavailable', result.message)
        if (signedIn?.kind === '3bot' && signedIn.credential.name === name) refreshInBackground()
        return { ok: true as const }
      }
    },

    async start() {
      await pins.load()
      const key = await deviceKey.get()
      const stored = await store.load()
      if (stored && stored.devicePublicKey !== toBase64(key.publicKey)) {
        log.warn('the saved sign-in is for another device key; signed out')
        await store.remove()
      } else if (stored) {
        signedIn = stored
        if (stored.kind === '3bot') {
          own.setFromPin(stored.credential, key.publicKey)
          refreshInBackground()
        }
      }
      // A new directory or app id changes what our credential is worth: check again.
      unsubscribeSettings = settings.onChange((next, previous) => {
        if (next.directoryUrl !== previous.directoryUrl || next.appId !== previous.appId) refreshInBackground()
      })
    },

    async stop() {
      stopped = true
      threefold.cancel()
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
      return Uint8Array.from((await deviceKey.get()).seed)
    },
    async presentation() {
      if (!signedIn) return null
      if (signedIn.kind === 'guest') return { v: 1, kind: 'guest', displayName: signedIn.displayName }
      return signedIn.credential
    },
    verifyPeer: createPeerVerifier(verifyCredential)
  }
}

/** What the renderer is told about who we are. */
function identityView(signedIn: StoredIdentity | null, key: Ed25519Key | null, own: OwnStatus): IdentityView {
  if (!signedIn || !key) return { signedIn: false }
  const pub = key.publicKey
  const base = { peerId: peerIdOfKey(pub), fingerprint: keyFingerprint(pub) }
  const person =
    signedIn.kind === 'guest'
      ? { ...base, displayName: signedIn.displayName, verification: 'guest' as const }
      : { ...base, name: signedIn.credential.name, displayName: signedIn.credential.name, ...own }
  const via: SignInMethod = signedIn.kind === 'guest' ? 'guest' : signedIn.via
  return { signedIn: true, via, person, publicKey: toBase64(pub), signedInAt: signedIn.signedInAt }
}
