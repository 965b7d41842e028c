import type { PersonView } from '../../../shared/contract/people'

/**
 * What the p2p layer needs from identity, and nothing more. The identity service implements
 * it; the room protocol uses it to present us to peers and to check each peer it meets.
 */
export interface PeerIdentity {
  /**
   * The 32-byte Ed25519 seed of this device's key: the libp2p identity
   * (`generateKeyPairFromSeed('Ed25519', seed)`). It never leaves the core.
   */
  deviceKeySeed(): Promise<Uint8Array>

  /**
   * What we send to a peer in the room handshake so it can check who we are: a JSON value
   * (a 3Bot credential, or a guest's display name), bounded to a few KiB. Null when nobody is
   * signed in (no meeting can be joined then).
   */
  presentation(): Promise<unknown | null>

  /**
   * Check a peer's presentation against the Ed25519 public key of its libp2p peer id (the key
   * the Noise handshake proved). A forged, mismatched or malformed presentation is `rejected`
   * with a reason the peer is shown; an unreachable directory gives a `warning` person.
   */
  verifyPeer(presentation: unknown, devicePublicKey: Uint8Array, peerId: string): Promise<PeerCheck>
}

export type PeerCheck = { ok: true; person: PersonView } | { ok: false; reason: string }
