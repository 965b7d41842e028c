import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bindingState, newBindingNonce, type ThreeBotCredential } from '../../../src/main/core/identity/credential'
import { createDirectoryClient } from '../../../src/main/core/identity/directory-client'
import { newEd25519Key } from '../../../src/main/core/identity/keys'
import { signAttempt } from '../../support/threefold-standin/phone'
import { startThreefoldStandin, type ThreefoldStandin } from '../../support/threefold-standin/server'
import { ALICE, testIdentity } from '../../support/threefold-standin/test-identities'
import { APP_ID, verifierAgainst } from './helpers'

let standin: ThreefoldStandin
let cleanups: Array<() => void> = []
beforeEach(async () => {
  standin = await startThreefoldStandin()
})
afterEach(async () => {
  for (const c of cleanups) c()
  cleanups = []
  await standin.close()
})

const device = newEd25519Key()
function aliceCredential(): ThreeBotCredential {
  const nonce = newBindingNonce()
  return {
    v: 1,
    kind: '3bot',
    name: ALICE.name,
    nonce,
    signedAttempt: signAttempt(ALICE, { state: bindingState(device.publicKey, nonce), appId: APP_ID })
  }
}

describe('directory client: every failure is a clear answer, never a crash', () => {
  const client = () => createDirectoryClient({ baseUrl: () => standin.url, timeoutMs: 800 })

  it('finds a listed user', async () => {
    const answer = await client().fetchUserKey('alice.3bot')
    expect(answer.ok && Buffer.from(answer.publicKey).equals(Buffer.from(ALICE.publicKey))).toBe(true)
  })

  it('404 -> unknown-user', async () => {
    expect(await client().fetchUserKey('nobody.3bot')).toMatchObject({
      ok: false,
      reason: 'unknown-user',
      message: 'nobody.3bot is not in the ThreeFold directory.'
    })
  })

  it('timeout -> directory-unreachable, within the bound', async () => {
    standin.setDirectoryFault({ kind: 'hang' })
    const started = Date.now()
    const answer = await client().fetchUserKey('alice.3bot')
    expect(answer).toMatchObject({ ok: false, reason: 'directory-unreachable' })
    if (!answer.ok) expect(answer.message).toContain('did not answer within 0.8 s')
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('nothing listening -> directory-unreachable', async () => {
    const url = standin.url
    await standin.close()
    const answer = await createDirectoryClient({ baseUrl: () => url }).fetchUserKey('alice.3bot')
    expect(answer).toMatchObject({ ok: false, reason: 'directory-unreachable' })
    standin = await startThreefoldStandin()
  })

  it('non-JSON, oversize body, wrong key length, server error -> each its own clear message', async () => {
    const cases = [
      [{ kind: 'non-json' }, 'directory-invalid', 'is not JSON'],
      [{ kind: 'oversize', bytes: 4 * 1024 * 1024 }, 'directory-invalid', 'more than 16384 bytes'],
      [{ kind: 'wrong-key-length' }, 'directory-invalid', '31 bytes, not the 32'],
      [{ kind: 'server-error' }, 'directory-unreachable', 'HTTP 503']
    ] as const
    for (const [fault, reason, text] of cases) {
      standin.setDirectoryFault(fault)
      const answer = await client().fetchUserKey('alice.3bot')
      expect(answer, fault.kind).toMatchObject({ ok: false, reason })
      if (!answer.ok) expect(answer.message).toContain(text)
    }
  })

  it('the core keeps serving through all of them (restore answers with an error envelope each time)', async () => {
    const { startCore } = await import('../../../src/main/core/core')
    const { memoryLogger } = await import('../../../src/main/core/log')
    const { makeTempDir, removeDir } = await import('../../support/host-process')
    const { writeHostSettings, standinSettings } = await import('../../support/settings')
    const dir = makeTempDir('dym-dir-')
    cleanups.push(() => removeDir(dir))
    writeHostSettings(dir, standinSettings(standin.url))
    const core = await startCore({ dataDir: dir, hostKind: 'headless', log: memoryLogger() })
    try {
      const words = ALICE.mnemonic
      standin.removeUser('alice.3bot')
      expect(await core.invoke('identity.restore', { name: 'alice', words }, { id: 't' })).toMatchObject({
        ok: false,
        error: { code: 'not-found' }
      })
      standin.addUser(ALICE)
      // Directory garbage with no pinned key: restore still works, with a warning badge.
      standin.setDirectoryFault({ kind: 'oversize', bytes: 1024 * 1024 })
      const res = await core.invoke('identity.restore', { name: 'alice', words }, { id: 't' })
      expect(res).toMatchObject({ ok: true, value: { signedIn: true, person: { name: 'alice.3bot', verification: 'warning' } } })
      expect(await core.invoke('app.info', {}, { id: 't' })).toMatchObject({ ok: true })
    } finally {
      await core.stop()
    }
  })
})

describe('key pinning (trust on first use)', () => {
  it("the stand-in changes alice's key: the next verification reports the change, never accepts it", async () => {
    const v = await verifierAgainst(standin.url)
    cleanups.push(v.cleanup)
    const credential = aliceCredential()
    expect(await v.verify(credential, device.publicKey)).toMatchObject({ verdict: 'verified', keySource: 'directory' })
    // The pin is on disk, in the data dir.
    const pins = JSON.parse(readFileSync(path.join(v.dataDir, 'known-keys.json'), 'utf8')) as { keys: Record<string, unknown> }
    expect(Object.keys(pins.keys)).toEqual(['alice.3bot'])

    const impostor = testIdentity('alice.3bot', 'impostor')
    standin.setUserKey('alice.3bot', impostor.publicKey)
    // Signed by the old (pinned) key: real, but the directory disagrees now.
    const oldSigned = await v.verify(credential, device.publicKey)
    expect(oldSigned).toMatchObject({ verdict: 'unverified', reason: 'key-changed', claimedName: 'alice.3bot' })
    if (oldSigned.verdict === 'unverified')
      expect(oldSigned.message).toMatch(/alice\.3bot's key in the ThreeFold directory changed since it was first seen on \d{4}-\d{2}-\d{2}/)
    // Signed by the new key: not verified either.
    const nonce = newBindingNonce()
    const byImpostor: ThreeBotCredential = {
      v: 1,
      kind: '3bot',
      name: 'alice.3bot',
      nonce,
      signedAttempt: signAttempt(impostor, { state: bindingState(device.publicKey, nonce), appId: APP_ID })
    }
    expect(await v.verify(byImpostor, device.publicKey)).toMatchObject({ verdict: 'unverified', reason: 'key-changed' })

    // A fresh verifier over the same data dir (a restart) remembers the pin.
    const again = await verifierAgainst(standin.url, { dataDir: v.dataDir })
    expect(await again.verify(byImpostor, device.publicKey)).toMatchObject({ verdict: 'unverified', reason: 'key-changed' })

    // Only an explicit acceptance moves the pin.
    await again.keys.acceptCurrentKey('alice.3bot')
    expect(await again.verify(byImpostor, device.publicKey)).toMatchObject({ verdict: 'verified' })
    expect(await again.verify(credential, device.publicKey)).toMatchObject({ verdict: 'rejected', reason: 'bad-signature' })
  })

  it('while the directory is down, a pinned key still verifies; an unpinned name is unverified', async () => {
    const v = await verifierAgainst(standin.url, { timeoutMs: 500 })
    cleanups.push(v.cleanup)
    const credential = aliceCredential()
    await v.verify(credential, device.publicKey)
    standin.setDirectoryFault({ kind: 'hang' })
    expect(await v.verify(credential, device.publicKey)).toMatchObject({ verdict: 'verified', keySource: 'pinned' })
    const bob = testIdentity('bob.3bot')
    const nonce = newBindingNonce()
    const bobs: ThreeBotCredential = {
      v: 1,
      kind: '3bot',
      name: 'bob.3bot',
      nonce,
      signedAttempt: signAttempt(bob, { state: bindingState(device.publicKey, nonce), appId: APP_ID })
    }
    expect(await v.verify(bobs, device.publicKey)).toMatchObject({
      verdict: 'unverified',
      reason: 'directory-unreachable',
      claimedName: 'bob.3bot'
    })
    // ...but even unverified, a credential for another device is refused outright.
    expect(await v.verify(bobs, newEd25519Key().publicKey)).toMatchObject({ verdict: 'rejected', reason: 'key-not-bound' })
  })
})
