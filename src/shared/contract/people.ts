import { z } from 'zod'
import { hasHiddenCharacters } from '../identity/names'

/**
 * How sure we are of who a person is. Shared by the identity service (our own profile) and
 * the room protocol (every member), so every screen shows the same badge for the same fact.
 * - verified: a 3Bot credential binding this device key to the name checked out against the
 *   directory's key (or, while the directory cannot be reached, the key pinned for the name)
 * - warning: only for our own profile: our 3Bot name is not (or no longer) confirmed by the
 *   directory; shown loudly, never as verified
 * - guest: no checked 3Bot identity: a display name the person chose, or a peer whose 3Bot name
 *   could not be checked (then `warning` says why, and the name is not shown)
 */
export const Verification = z.enum(['verified', 'warning', 'guest'])
export type Verification = z.infer<typeof Verification>

export const ThreeBotName = z
  .string()
  .max(60)
  .regex(/^[a-z0-9_]{1,50}\.3bot$/, 'a 3Bot name looks like alice.3bot')

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((name) => !hasHiddenCharacters(name), 'a name cannot hold invisible or text-direction characters')

/** A person as every screen shows them. */
export const PersonView = z.object({
  /** libp2p peer id (base58) of their device */
  peerId: z.string().max(100),
  /** The 3Bot name: a peer's only when verified; our own profile's also while it is being confirmed */
  name: ThreeBotName.optional(),
  displayName: DisplayName,
  verification: Verification,
  /** Why not verified: human-readable, e.g. "the ThreeFold directory cannot be reached" */
  warning: z.string().max(300).optional(),
  /** Short fingerprint of the device key, for comparing out of band */
  fingerprint: z.string().max(64)
})
export type PersonView = z.infer<typeof PersonView>
