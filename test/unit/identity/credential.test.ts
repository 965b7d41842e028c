import { base64 } from '@scure/base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bindingState, newBindingNonce, signCredentialLocally, type ThreeBotCredential } from '../../../src/main/core/identity/credential'
import { newEd25519Key, threeBotKeyFromWords, x25519FromEd25519Public } from '../../../src/main/core/identity/keys'
import { splitSeedWords } from '../../../src/shared/identity/mnemonic'
import { signAttempt, type StatementOverrides } from '../../support/threefold-standin/phone'
import { startThreefoldStandin, type ThreefoldStandin } from '../../support/threefold-standin/server'
import {
  ALICE,
  VECTOR,
  VECTOR_MNEMONIC,
  VECTOR_PUBLIC_KEY_B64,
  VECTOR_SEED_HEX,
  VECTOR_X25519_B64,
  type TestIdentity
} from '../../support/threefold-standin/test-identities'
import { APP_ID, verifierAgainst } from './helpers'

describe('3Bot key derivation: the published test vector', () => {
  it('mnemonic -> entropy seed -> Ed25519 public key -> X25519 form', () => {
    const key = threeBotKeyFromWords(splitSeedWords(VECTOR_MNEMONIC))
    expect(Buffer.from(key.seed).toString('hex')).toBe(VECTOR_SEED_HEX)
    expect(base64.encode(key.publicKey)).toBe(VECTOR_PUBLIC_KEY_B64)
    expect(base64.encode(x25519FromEd25519Public(key.publicKey))).toBe(VECTOR_X25519_B64)
  })

  it('the state binding a device key is letters and digits only (the phone app refuses anything else)', () => {
    const device = newEd25519Key()
    const state = bindingState(device.publicKey, newBindingNonce())
    expect(state).toMatch(/^[A-Za-z0-9]{40,50}$/)
    expect(bindingState(device.publicKey, 'abcdefghijkmnopq')).toBe(bindingState(device.publicKey, 'abcdefghijkmnopq'))
    expect(bindingState(newEd25519Key().publicKey, 'abcdefghijkmnopq')).not.toBe(bindingState(device.publicKey, 'abcdefghijkmnopq'))
  })
})

describe('verifyCredential', () => {
  let standin: ThreefoldStandin
  let verifier: Awaited<ReturnType<typeof verifierAgainst>>
  const device = newEd25519Key()

  beforeAll(async () => {
    standin = await startThreefoldStandin()
    verifier = await verifierAgainst(standin.url)
  })
  afterAll(async () => {
    verifier.cleanup()
    await standin.close()
  })

  /** A credential as the phone app's approval makes it, optionally tampered before signing. */
  function phoneCredential(
    user: TestIdentity = ALICE,
    overrides: StatementOverrides = {},
    devicePublicKey = device.publicKey
  ): ThreeBotCredential {
    const nonce = newBindingNonce()
    const signedAttempt = signAttempt(user, { state: bindingState(devicePublicKey, nonce), appId: APP_ID }, overrides)
    return { v: 1, kind: '3bot', name: user.name, nonce, signedAttempt }
  }

  it('a signed attempt made by the stand-in phone verifies, for the published vector identity too', async () => {
    expect(await verifier.verify(phoneCredential(), device.publicKey)).toEqual({
      verdict: 'verified',
      name: 'alice.3bot',
      keySource: 'directory'
    })
    expect(await verifier.verify(phoneCredential(VECTOR), device.publicKey)).toMatchObject({ verdict: 'verified', name: 'vector.3bot' })
  })

  it('a credential signed locally with the seed (restore) verifies the same way, also as JSON text', async () => {
    const credential = signCredentialLocally({
      name: 'alice.3bot',
      appId: APP_ID,
      userSeed: Uint8Array.from(ALICE.seed),
      devicePublicKey: device.publicKey
    })
    expect(await verifier.verify(credential, device.publicKey)).toMatchObject({ verdict: 'verified', name: 'alice.3bot' })
    expect(await verifier.verify(JSON.stringify(credential), device.publicKey)).toMatchObject({ verdict: 'verified' })
  })

  const reasonOf = async (credential: unknown, key = device.publicKey) => {
    const check = await verifier.verify(credential, key)
    return check.verdict === 'rejected' ? check.reason : 'verified'
  }

  it('changed state: signed for another device key, or presented by another device -> key-not-bound', async () => {
    expect(await reasonOf(phoneCredential(ALICE, { signedState: 'SomeOtherState123' }))).toBe('key-not-bound')
    expect(await reasonOf(phoneCredential(), newEd25519Key().publicKey)).toBe('key-not-bound')
    expect(await reasonOf({ ...phoneCredential(), nonce: newBindingNonce() })).toBe('key-not-bound')
  })

  it('other app id -> app-mismatch; other name -> name-mismatch', async () => {
    expect(await reasonOf(phoneCredential(ALICE, { appId: 'evil.example' }))).toBe('app-mismatch')
    expect(await reasonOf(phoneCredential(ALICE, { doubleName: 'bob.3bot' }))).toBe('name-mismatch')
  })

  it('a flipped signature byte, or a name whose key did not sign -> bad-signature', async () => {
    const good = phoneCredential()
    const bytes = base64.decode(good.signedAttempt)
    bytes[10] = (bytes[10] as number) ^ 0x01
    expect(await reasonOf({ ...good, signedAttempt: base64.encode(bytes) })).toBe('bad-signature')
    expect(await reasonOf({ ...good, name: 'bob.3bot' })).toBe('bad-signature')
    // Cut inside the signed message: still base64, no longer what was signed.
    expect(await reasonOf({ ...good, signedAttempt: good.signedAttempt.slice(0, -8) })).toBe('bad-signature')
  })

  it('truncated or non-base64 input -> malformed; oversize -> too-large', async () => {
    const good = phoneCredential()
    expect(await reasonOf({ ...good, signedAttempt: good.signedAttempt.slice(0, 40) })).toBe('malformed')
    expect(await reasonOf({ ...good, signedAttempt: good.signedAttempt.slice(0, -1) })).toBe('malformed')
    expect(await reasonOf({ ...good, signedAttempt: '%%%not base64%%%' })).toBe('malformed')
    expect(await reasonOf(JSON.stringify(good).slice(0, 50))).toBe('malformed')
    expect(await reasonOf({ ...good, signedAttempt: 'A'.repeat(20_000) })).toBe('too-large')
    expect(await reasonOf('x'.repeat(100_000))).toBe('too-large')
  })

  it('JSON missing fields -> malformed (credential) or bad-statement (signed message)', async () => {
    const good = phoneCredential()
    const { nonce: _nonce, ...noNonce } = good
    expect(await reasonOf(noNonce)).toBe('malformed')
    expect(await reasonOf({ ...good, v: 2 })).toBe('malformed')
    expect(await reasonOf(null)).toBe('malformed')
    expect(await reasonOf(phoneCredential(ALICE, { omit: ['appId'] }))).toBe('bad-statement')
    expect(await reasonOf(phoneCredential(ALICE, { omit: ['signedState'] }))).toBe('bad-statement')
    expect(await reasonOf(phoneCredential(ALICE, { omit: ['data'] }))).toBe('bad-statement')
  })

  it('unknown names -> unknown-user', async () => {
    const check = await verifier.verify({ ...phoneCredential(), name: 'nobody.3bot' }, device.publicKey)
    expect(check).toMatchObject({ verdict: 'rejected', reason: 'unknown-user' })
    if (check.verdict === 'rejected') expect(check.message).toContain('nobody.3bot')
  })
})
