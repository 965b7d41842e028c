import { randomBytes } from 'node:crypto'
import { bytesToHex } from '@noble/hashes/utils.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { z } from 'zod'
import { privateKeyFromSeed } from '../../src/main/core/p2p/node'
import type { PeerCheck, PeerIdentity } from '../../src/main/core/identity/peer-identity'

/**
 * TEST DOUBLE of the identity service: NOT the real 3Bot identity (the lead wires that in).
 * A "directory" is just a set of 3Bot names that verify; a credential is only bound to a device
 * key by carrying that key in the clear. Good enough to drive the room protocol through
 * verified, guest, spoofed and unlisted cases.
 */
export class TestDirectory {
  constructor(readonly names = new Set<string>()) {}
}

const TestPresentation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('test-guest'), displayName: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal('test-3bot'),
    name: z.string().regex(/^[a-z0-9_]{1,50}\.3bot$/),
    displayName: z.string().min(1).max(64),
    deviceKey: z.string().regex(/^[0-9a-f]{64}$/)
  })
])

export interface TestIdentityOptions {
  displayName: string
  /** a 3Bot name to claim; absent = guest */
  name?: string
  seed?: Uint8Array
  directory?: TestDirectory
  /** present someone else's credential (their device key) instead of our own: a spoof */
  spoofDeviceKey?: string
}

export class TestIdentity implements PeerIdentity {
  readonly seed: Uint8Array
  private publicKeyHex: string | null = null

  constructor(readonly options: TestIdentityOptions) {
    this.seed = options.seed ?? new Uint8Array(randomBytes(32))
  }

  async deviceKeySeed(): Promise<Uint8Array> {
    return this.seed
  }

  async devicePublicKeyHex(): Promise<string> {
    this.publicKeyHex ??= bytesToHex((await privateKeyFromSeed(this.seed)).publicKey.raw)
    return this.publicKeyHex
  }

  async presentation(): Promise<unknown> {
    const { name, displayName, spoofDeviceKey } = this.options
    if (!name) return { kind: 'test-guest', displayName }
    return { kind: 'test-3bot', name, displayName, deviceKey: spoofDeviceKey ?? (await this.devicePublicKeyHex()) }
  }

  async verifyPeer(presentation: unknown, devicePublicKey: Uint8Array, peerId: string): Promise<PeerCheck> {
    const parsed = TestPresentation.safeParse(presentation)
    if (!parsed.success) return { ok: false, reason: 'the credential is malformed' }
    const p = parsed.data
    const fingerprint = bytesToHex(sha256(devicePublicKey)).slice(0, 16)
    if (p.kind === 'test-guest') return { ok: true, person: { peerId, displayName: p.displayName, verification: 'guest', fingerprint } }
    // A spoofing client does not check itself: it believes its own lie.
    if (this.options.spoofDeviceKey && bytesToHex(devicePublicKey) === (await this.devicePublicKeyHex())) {
      return { ok: true, person: { peerId, name: p.name, displayName: p.displayName, verification: 'verified', fingerprint } }
    }
    if (p.deviceKey !== bytesToHex(devicePublicKey)) return { ok: false, reason: `the credential for ${p.name} belongs to another device` }
    if (!this.options.directory?.names.has(p.name)) return { ok: false, reason: `${p.name} is not in the 3Bot directory` }
    return { ok: true, person: { peerId, name: p.name, displayName: p.displayName, verification: 'verified', fingerprint } }
  }
}
