import { z } from 'zod'
import { hasHiddenCharacters } from '../identity/names'

/**
 * How sure we are of who a person is. Shared by the identity service (our own profile) and
 * the room protocol (every member), so every screen shows the same badge for the same fact.
 * - verified: a 3Bot credential binding this device key to the name checked out against the directory
 * - warning: the name's directory key changed since we first saw it (trust on first use broken),
 *   or the directory could not be reached to check; shown loudly, never as verified
 * - guest: no 3Bot identity; a display name the person chose
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
  /** 3Bot name when verified or warned about, else absent */
  name: ThreeBotName.optional(),
  displayName: DisplayName,
  verification: Verification,
  /** Why a warning: human-readable, e.g. "alice.3bot's key changed since 2026-11-01" */
  warning: z.string().max(300).optional(),
  /** Short fingerprint of the device key, for comparing out of band */
  fingerprint: z.string().max(64)
})
export type PersonView = z.infer<typeof PersonView>
