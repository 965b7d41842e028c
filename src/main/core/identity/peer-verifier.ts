import { z } from 'zod'
import { GuestName } from '../../../shared/contract/identity'
import type { PersonView } from '../../../shared/contract/people'
import { measureBytes } from '../../../shared/wire'
import { CREDENTIAL_MAX_BYTES, type ThreeBotCredential } from './credential'
import type { VerifyCredential } from './credential-verifier'
import { keyFingerprint, peerIdOfKey } from './keys'
import type { PeerCheck } from './peer-identity'

/**
 * What one peer sends another in the room handshake (`PeerIdentity.presentation()`):
 *   a 3Bot credential  { v: 1, kind: '3bot', name, nonce, signedAttempt }   (see credential.ts)
 *   or a guest         { v: 1, kind: 'guest', displayName }
 */
export const GuestPresentation = z.object({ v: z.literal(1), kind: z.literal('guest'), displayName: GuestName }).strict()
export type GuestPresentation = z.infer<typeof GuestPresentation>
export type Presentation = ThreeBotCredential | GuestPresentation

export const PRESENTATION_MAX_BYTES = CREDENTIAL_MAX_BYTES

/**
 * Check a peer: the presentation must bind the Ed25519 key its Noise handshake proved (for a
 * 3Bot credential) and the peer id must be that key's. Guests pass as guests.
 */
export function createPeerVerifier(verify: VerifyCredential) {
  return async (presentation: unknown, devicePublicKey: Uint8Array, peerId: string): Promise<PeerCheck> => {
    if (devicePublicKey.length !== 32) return { ok: false, reason: 'The peer does not use an Ed25519 device key.' }
    let expectedPeerId: string
    try {
      expectedPeerId = peerIdOfKey(devicePublicKey)
    } catch {
      return { ok: false, reason: 'The peer does not use a valid Ed25519 device key.' }
    }
    if (expectedPeerId !== peerId) return { ok: false, reason: 'The peer id is not the one of the key the peer proved.' }
    if (measureBytes(presentation, PRESENTATION_MAX_BYTES) > PRESENTATION_MAX_BYTES)
      return { ok: false, reason: `The identity sent is larger than ${PRESENTATION_MAX_BYTES} bytes.` }
    const base = { peerId, fingerprint: keyFingerprint(devicePublicKey) }

    const kind = typeof presentation === 'object' && presentation !== null ? (presentation as { kind?: unknown }).kind : undefined
    if (kind === 'guest') {
      const guest = GuestPresentation.safeParse(presentation)
      if (!guest.success) return { ok: false, reason: 'The guest identity sent is not in the expected format.' }
      return { ok: true, person: { ...base, displayName: guest.data.displayName, verification: 'guest' } }
    }

    const check = await verify(presentation, devicePublicKey)
    if (check.verdict === 'verified')
      return { ok: true, person: { ...base, name: check.name, displayName: check.name, verification: 'verified' } }
    if (check.unconfirmedName) {
      const person: PersonView = {
        ...base,
        name: check.unconfirmedName,
        displayName: check.unconfirmedName,
        verification: 'warning',
        warning: check.message.slice(0, 300)
      }
      return { ok: true, person }
    }
    return { ok: false, reason: check.message.slice(0, 300) }
  }
}
