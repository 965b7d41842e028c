import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCore, type CoreOptions } from '../../../src/main/core/core'
import type { IdentityChange } from '../../../src/main/core/identity/identity-service'
import { memoryLogger } from '../../../src/main/core/log'
import type { IdentityView, MethodName, RequestOf, ResponseOf } from '../../../src/shared/contract/index'
import { useStandinCores } from '../../support/threefold-standin/use-standin'
import { ALICE, VECTOR } from '../../support/threefold-standin/test-identities'

const env = useStandinCores()

async function newCore(options: Partial<CoreOptions> & { dataDir?: string } = {}) {
  const dataDir = options.dataDir ?? env.dataDir('dym-identity-')
  const log = memoryLogger()
  const core = env.track(await startCore({ hostKind: 'headless', log, ...options, dataDir }))
  const call = async <M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> => {
    const res = await core.invoke(method, request, { id: 'test' })
    if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code })
    return res.value as ResponseOf<M>
  }
  const refusal = async (method: MethodName, request: unknown) => {
    const res = await core.invoke(method, request, { id: 'test' })
    if (res.ok) throw new Error(`${method} unexpectedly succeeded`)
    return res.error
  }
  return { core, dataDir, log, call, refusal }
}

const signedIn = (view: IdentityView) => {
  if (!view.signedIn) throw new Error('expected to be signed in')
  return view
}

describe('identity service', () => {
  it('makes a device key on first run (mode 0600), keeps it across restarts, and it is the libp2p identity', async () => {
    const first = await newCore()
    const keyFile = path.join(first.dataDir, 'device-key.json')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const seed = await first.core.identity.deviceKeySeed()
    expect(seed).toHaveLength(32)
    await first.core.stop()
    const again = await newCore({ dataDir: first.dataDir })
    expect(Buffer.from(await again.core.identity.deviceKeySeed()).equals(Buffer.from(seed))).toBe(true)
    const view = signedIn(await again.call('identity.guest', { displayName: 'Dana' }))
    const libp2pPeerId = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seed)).toString()
    expect(view.person.peerId).toBe(libp2pPeerId)
    expect(view.person.fingerprint).toMatch(/^([0-9a-f]{4} ){5}[0-9a-f]{4}$/)
  })

  it('restore with the seed phrase: verified, persisted, the words stored nowhere, and kept after a restart', async () => {
    const a = await newCore()
    const events: IdentityView[] = []
    a.core.onEvent((event, payload) => event === 'identity.changed' && events.push(payload as IdentityView))
    const view = signedIn(await a.call('identity.restore', { name: ' Vector ', words: VECTOR.mnemonic }))
    expect(view).toMatchObject({ via: 'seed', person: { name: 'vector.3bot', displayName: 'vector.3bot', verification: 'verified' } })
    expect(view.person).not.toHaveProperty('warning')
    expect(events.at(-1)).toEqual(view)
    // Nothing on disk holds the words or the 3Bot seed.
    const seedHex = Buffer.from(VECTOR.seed).toString('hex')
    const seedB64 = Buffer.from(VECTOR.seed).toString('base64')
    for (const file of readdirSync(a.dataDir)) {
      const text = readFileSync(path.join(a.dataDir, file), 'utf8')
      expect(text).not.toContain('tornado')
      expect(text).not.toContain(seedHex)
      expect(text).not.toContain(seedB64)
    }
    expect(statSync(path.join(a.dataDir, 'identity.json')).mode & 0o777).toBe(0o600)
    await a.core.stop()

    const b = await newCore({ dataDir: a.dataDir })
    expect(b.core.identity.current()).toMatchObject({
      signedIn: true,
      via: 'seed',
      publicKey: view.publicKey,
      person: { name: 'vector.3bot', verification: 'verified' }
    })
    expect(await b.core.identity.presentation()).toMatchObject({ v: 1, kind: '3bot', name: 'vector.3bot' })
  })

  it('restore errors: word-level (position only, never the words), wrong owner, unknown name, already signed in', async () => {
    const a = await newCore()
    const words = VECTOR.mnemonic.split(' ')
    words[4] = 'burts'
    const wordError = await a.refusal('identity.restore', { name: 'vector', words: words.join(' ') })
    expect(wordError).toEqual({ code: 'bad-request', message: 'Word 5 is not in the seed word list.' })
    expect(await a.refusal('identity.restore', { name: 'vector', words: 'calm science' })).toMatchObject({
      message: 'A 3Bot seed phrase has 24 words; this has 2.'
    })
    expect(await a.refusal('identity.restore', { name: 'alice', words: VECTOR.mnemonic })).toMatchObject({
      code: 'denied',
      message: expect.stringContaining("These words are not alice.3bot's")
    })
    expect(await a.refusal('identity.restore', { name: 'nobody', words: VECTOR.mnemonic })).toMatchObject({ code: 'not-found' })
    expect(await a.refusal('identity.restore', { name: 'not a name!', words: VECTOR.mnemonic })).toMatchObject({ code: 'bad-request' })
    expect(a.log.lines.join('\n')).not.toContain('burts')
    await a.call('identity.restore', { name: 'vector', words: VECTOR.mnemonic })
    expect(await a.refusal('identity.guest', { displayName: 'Eve' })).toMatchObject({ code: 'conflict' })
  })

  it('guest: a display name, shown as guest; a name that looks like a 3Bot name is refused', async () => {
    const a = await newCore()
    expect(await a.call('identity.guest', { displayName: '  Dana  ' })).toMatchObject({
      signedIn: true,
      via: 'guest',
      person: { displayName: 'Dana', verification: 'guest' }
    })
    expect(await a.core.identity.presentation()).toEqual({ v: 1, kind: 'guest', displayName: 'Dana' })
    const b = await newCore()
    expect(await b.refusal('identity.guest', { displayName: 'alice.3bot' })).toMatchObject({ code: 'bad-request' })
    expect(await b.refusal('identity.guest', { displayName: '   ' })).toMatchObject({ code: 'bad-request' })
  })

  it('sign-out needs confirm, wipes the key and credential from disk, and tells the core to restart p2p with a new key', async () => {
    const a = await newCore()
    await a.call('identity.restore', { name: 'alice', words: ALICE.mnemonic })
    const oldSeed = await a.core.identity.deviceKeySeed()
    const changes: IdentityChange[] = []
    a.core.identity.onChange((change) => changes.push(change))
    expect(await a.refusal('identity.signOut', {})).toMatchObject({ code: 'bad-request' })
    expect(await a.call('identity.signOut', { confirm: true })).toEqual({ signedIn: false })
    expect(existsSync(path.join(a.dataDir, 'identity.json'))).toBe(false)
    expect(existsSync(path.join(a.dataDir, 'device-key.json'))).toBe(false)
    expect(changes).toEqual([{ view: { signedIn: false }, deviceKeyChanged: true }])
    expect(await a.core.identity.presentation()).toBeNull()
    const newSeed = await a.core.identity.deviceKeySeed()
    expect(Buffer.from(newSeed).equals(Buffer.from(oldSeed))).toBe(false)
  })

  it('ThreeFold Connect, driven step by step: start -> phone approves -> complete', async () => {
    const a = await newCore()
    const start = await a.call('identity.threefoldLogin.start', {})
    expect(start.loginUrl.startsWith(`${env.standin.url}/?state=${start.state}&appid=digitalyou.meet&publickey=`)).toBe(true)
    expect(start.redirectPrefix).toBe('https://digitalyou.meet/dym/threefold-login')
    // A stray navigation is not an answer: the login stays open.
    expect(await a.refusal('identity.threefoldLogin.complete', { redirectUrl: 'https://digitalyou.meet/other' })).toMatchObject({
      code: 'bad-request'
    })
    const view = signedIn(
      await a.call('identity.threefoldLogin.complete', { redirectUrl: env.standin.approve(start.loginUrl, 'alice.3bot') })
    )
    expect(view).toMatchObject({ via: 'threefold-connect', person: { name: 'alice.3bot', verification: 'verified' } })
    // The state is single-use.
    expect(
      await a.refusal('identity.threefoldLogin.complete', { redirectUrl: env.standin.approve(start.loginUrl, 'alice.3bot') })
    ).toMatchObject({ code: 'conflict' })
  })

  it('ThreeFold Connect: cancel on the phone, a login for another app or device, each ends with a clear message', async () => {
    const a = await newCore()
    let start = await a.call('identity.threefoldLogin.start', {})
    expect(await a.refusal('identity.threefoldLogin.complete', { redirectUrl: env.standin.cancel(start.loginUrl) })).toEqual({
      code: 'denied',
      message: 'The login was cancelled in ThreeFold Connect.'
    })
    start = await a.call('identity.threefoldLogin.start', {})
    const forged = env.standin.approve(start.loginUrl, 'alice.3bot', { overrides: { signedState: 'Replayed1234' } })
    expect(await a.refusal('identity.threefoldLogin.complete', { redirectUrl: forged })).toMatchObject({
      code: 'denied',
      message: expect.stringContaining('does not vouch for this device key')
    })
    expect(a.core.identity.current()).toEqual({ signedIn: false })
  })

  it('ThreeFold Connect in a window: unavailable headless; with a login window: approve, close and timeout', async () => {
    const headless = await newCore()
    expect(await headless.refusal('identity.threefoldLogin.run', {})).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('needs the desktop app')
    })

    let answer: 'approve' | 'closed' | 'timeout' = 'closed'
    const opened: string[] = []
    const desktop = await newCore({
      hostKind: 'electron',
      loginWindow: {
        async open(request) {
          opened.push(request.redirectPrefix)
          expect(request.timeoutMs).toBe(120_000)
          if (answer === 'approve') return { kind: 'redirect', url: env.standin.approve(request.loginUrl, 'alice.3bot') }
          return { kind: answer }
        }
      }
    })
    expect(await desktop.refusal('identity.threefoldLogin.run', {})).toMatchObject({
      code: 'denied',
      message: 'The login window was closed before the login finished.'
    })
    answer = 'timeout'
    expect(await desktop.refusal('identity.threefoldLogin.run', {})).toMatchObject({
      code: 'denied',
      message: expect.stringContaining('within 2 minutes')
    })
    answer = 'approve'
    expect(await desktop.call('identity.threefoldLogin.run', {})).toMatchObject({
      signedIn: true,
      via: 'threefold-connect',
      person: { name: 'alice.3bot', verification: 'verified' }
    })
    expect(opened).toEqual(Array(3).fill('https://digitalyou.meet/dym/threefold-login'))
  })

  it('restore while the directory is down: signed in with a warning badge that says why', async () => {
    const a = await newCore()
    env.standin.setDirectoryFault({ kind: 'server-error' })
    const view = signedIn(await a.call('identity.restore', { name: 'alice', words: ALICE.mnemonic }))
    expect(view.person).toMatchObject({ verification: 'warning', warning: expect.stringContaining('HTTP 503') })
  })

  it('own key changed in the directory: the profile turns to a warning after a restart', async () => {
    const a = await newCore()
    await a.call('identity.restore', { name: 'alice', words: ALICE.mnemonic })
    await a.core.stop()
    env.standin.setUserKey(ALICE.name, VECTOR.publicKey)
    const b = await newCore({ dataDir: a.dataDir })
    await expect
      .poll(() => b.core.identity.current(), { timeout: 5000 })
      .toMatchObject({ person: { verification: 'warning', warning: expect.stringContaining('changed since') } })
  })
})
