import { z } from 'zod'
import { GuestName } from '../../../shared/contract/identity'
import type { PersonView } from '../../../shared/contract/people'
import { measureBytes } from '../../../shared/wire'
import { CREDENTIAL_MAX_BYTES, type ThreeBotCredential } from './credential'
import type { Unverified, VerifyCredential } from './credential-verifier'
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
    if (check.verdict === 'unverified') return { ok: true, person: unverifiedPerson(base, check) }
    return { ok: false, reason: check.message.slice(0, 300) }
  }
}

const UNVERIFIED_WHY: Record<Unverified['reason'], string> = {
  'directory-unreachable': 'the ThreeFold directory cannot be reached',
  'directory-invalid': 'the ThreeFold directory gave no usable answer',
  'key-changed': 'their key in the ThreeFold directory is not the one first seen for that name'
}

/**
 * A peer whose 3Bot name could not be checked is a guest: no `name`, the guest badge, and as
 * display name only the part before ".3bot" (which any guest could choose). The room rules
 * that name 3Bot users see no name to match, so they refuse it.
 */
function unverifiedPerson(base: Pick<PersonView, 'peerId' | 'fingerprint'>, check: Unverified): PersonView {
  return {
    ...base,
    displayName: check.claimedName.replace(/\.3bot$/, ''),
    verification: 'guest',
    warning: `Signed in with a 3Bot name that could not be checked (${UNVERIFIED_WHY[check.reason]}), so shown as a guest.`
  }
}
