import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { startCore } from '../../../src/main/core/core'
import { bindingState } from '../../../src/main/core/identity/credential'
import { memoryLogger } from '../../../src/main/core/log'
import type { SettingsPatch } from '../../../src/shared/contract/settings'
import { useStandinCores } from '../../support/threefold-standin/use-standin'
import { signAttempt } from '../../support/threefold-standin/phone'
import { ALICE, BOB, testIdentity } from '../../support/threefold-standin/test-identities'

/**
 * PeerIdentity as the room protocol will use it: each side sends presentation(), the other
 * checks it against the Ed25519 key the Noise handshake proved (its libp2p peer id's key).
 */
const env = useStandinCores()

async function peer(signIn: { restore: typeof ALICE } | { guest: string }, settings: SettingsPatch = {}) {
  const dataDir = env.dataDir('dym-peer-', settings)
  const core = env.track(await startCore({ dataDir, hostKind: 'headless', log: memoryLogger() }))
  const res =
    'restore' in signIn
      ? await core.invoke('identity.restore', { name: signIn.restore.name, words: signIn.restore.mnemonic }, { id: 't' })
      : await core.invoke('identity.guest', { displayName: signIn.guest }, { id: 't' })
  if (!res.ok) throw new Error(res.error.message)
  // What the other side learns from Noise: the peer id and its public key.
  const key = await generateKeyPairFromSeed('Ed25519', await core.identity.deviceKeySeed())
  return {
    core,
    publicKey: key.publicKey.raw,
    peerId: peerIdFromPrivateKey(key).toString(),
    presentation: await core.identity.presentation()
  }
}

describe('PeerIdentity.verifyPeer', () => {
  it('a 3Bot peer is verified, with the name, peer id and the same fingerprint its own profile shows', async () => {
    const alice = await peer({ restore: ALICE })
    const bob = await peer({ restore: BOB })
    const check = await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)
    const own = alice.core.identity.current()
    if (!own.signedIn) throw new Error('alice not signed in')
    expect(check).toEqual({
      ok: true,
      person: {
        peerId: alice.peerId,
        name: 'alice.3bot',
        displayName: 'alice.3bot',
        verification: 'verified',
        fingerprint: own.person.fingerprint
      }
    })
    // And the other way round.
    expect(await alice.core.identity.verifyPeer(bob.presentation, bob.publicKey, bob.peerId)).toMatchObject({
      ok: true,
      person: { name: 'bob.3bot', verification: 'verified' }
    })
  })

  it("alice's credential replayed by another device is refused: it does not bind that device's key", async () => {
    const alice = await peer({ restore: ALICE })
    const mallory = await peer({ guest: 'Mallory' })
    const check = await alice.core.identity.verifyPeer(alice.presentation, mallory.publicKey, mallory.peerId)
    expect(check).toEqual({ ok: false, reason: 'The credential does not vouch for this device key.' })
    // The key must also be the peer id's own.
    expect(await alice.core.identity.verifyPeer(alice.presentation, alice.publicKey, mallory.peerId)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('peer id')
    })
  })

  it('guests are guests; a malformed, oversize or look-alike presentation is refused with a reason', async () => {
    const alice = await peer({ restore: ALICE })
    const dana = await peer({ guest: 'Dana' })
    const guest = await alice.core.identity.verifyPeer(dana.presentation, dana.publicKey, dana.peerId)
    expect(guest).toMatchObject({ ok: true, person: { displayName: 'Dana', verification: 'guest' } })
    if (guest.ok) expect(guest.person).not.toHaveProperty('name')
    for (const bad of [
      { v: 1, kind: 'guest', displayName: 'alice.3bot' },
      { v: 1, kind: 'guest', displayName: 'x'.repeat(65) },
      42,
      null,
      'hello',
      { kind: 'other' },
      { v: 1, kind: '3bot', name: 'alice.3bot', nonce: 'x'.repeat(9000), signedAttempt: 'a' }
    ]) {
      const check = await alice.core.identity.verifyPeer(bad, dana.publicKey, dana.peerId)
      expect(check.ok, JSON.stringify(bad).slice(0, 60)).toBe(false)
    }
  })

  it('directory down and no pinned key: shown as a guest, never under the 3Bot name', async () => {
    const alice = await peer({ restore: ALICE })
    const bob = await peer({ restore: BOB })
    env.standin.setDirectoryFault({ kind: 'server-error' })
    // Bob has met nobody: alice.3bot is not pinned in his data dir.
    const check = await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)
    expect(check).toEqual({
      ok: true,
      person: {
        peerId: alice.peerId,
        fingerprint: expect.any(String),
        displayName: 'alice',
        verification: 'guest',
        warning: 'Signed in with a 3Bot name that could not be checked (the ThreeFold directory cannot be reached), so shown as a guest.'
      }
    })
    // Garbage from the directory is no better.
    env.standin.setDirectoryFault({ kind: 'oversize', bytes: 1024 * 1024 })
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({
      ok: true,
      person: { displayName: 'alice', verification: 'guest', warning: expect.stringContaining('no usable answer') }
    })
  })

  it('directory down, but the name is pinned from an earlier meeting: verified with the pinned key', async () => {
    const alice = await peer({ restore: ALICE })
    const bob = await peer({ restore: BOB })
    // Bob meets alice once while the directory answers: her key is pinned in his known-keys.json.
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({
      person: { verification: 'verified' }
    })
    expect(readFileSync(path.join(bob.core.dataDir, 'known-keys.json'), 'utf8')).toContain('alice.3bot')
    env.standin.setDirectoryFault({ kind: 'server-error' })
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({
      ok: true,
      person: { name: 'alice.3bot', displayName: 'alice.3bot', verification: 'verified' }
    })
    // A forgery for the pinned name is refused, not shown as a guest: the pin checks its signature.
    const forged = { ...(alice.presentation as object), signedAttempt: signedByImpostor(alice) }
    expect(await bob.core.identity.verifyPeer(forged, alice.publicKey, alice.peerId)).toMatchObject({ ok: false })
  })

  it("alice's key changes in the directory after bob pinned it: bob sees her as a guest until he accepts the new key", async () => {
    const alice = await peer({ restore: ALICE })
    const bob = await peer({ restore: BOB })
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({
      ok: true,
      person: { verification: 'verified' }
    })
    const rotated = testIdentity('alice.3bot', 'rotated')
    env.standin.addUser(rotated)
    const check = await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)
    expect(check).toMatchObject({
      ok: true,
      person: { displayName: 'alice', verification: 'guest', warning: expect.stringContaining('not the one first seen') }
    })
    if (check.ok) expect(check.person).not.toHaveProperty('name')
    // After bob accepts the new key, alice's old credential no longer checks out at all.
    expect(await bob.core.invoke('identity.acceptKeyChange', { name: 'alice.3bot' }, { id: 't' })).toEqual({
      ok: true,
      value: { ok: true }
    })
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({ ok: false })
  })

  it('a credential for another app id is refused', async () => {
    const alice = await peer({ restore: ALICE }, { appId: 'other.app' })
    const bob = await peer({ restore: BOB })
    expect(await bob.core.identity.verifyPeer(alice.presentation, alice.publicKey, alice.peerId)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another app (other.app)')
    })
  })
})

/** Alice's credential, re-signed by a key that is not hers (same statement, same device binding). */
function signedByImpostor(alice: { presentation: unknown; publicKey: Uint8Array }): string {
  const credential = alice.presentation as { nonce: string }
  return signAttempt(testIdentity('alice.3bot', 'impostor'), {
    state: bindingState(alice.publicKey, credential.nonce),
    appId: 'digitalyou.meet'
  })
}
