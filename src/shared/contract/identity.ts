import { z } from 'zod'
import { looksLikeThreeBotName, normalizeThreeBotName } from '../identity/names'
import { SEED_TEXT_MAX } from '../identity/mnemonic'
import { method, NoParams, Ok } from './define'
import { DisplayName, PersonView, ThreeBotName } from './people'

/**
 * Who this app instance is signed in as. The renderer never sees a private key or a seed:
 * only the device's public key, its fingerprint, the name and how sure we are of it.
 */
export const SignInMethod = z.enum(['threefold-connect', 'seed', 'guest'])
export type SignInMethod = z.infer<typeof SignInMethod>

export const IdentityView = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(false) }),
  z.object({
    signedIn: z.literal(true),
    via: SignInMethod,
    /** How peers will see us: name, verification badge, device key fingerprint, peer id. */
    person: PersonView,
    /** base64 of the device's Ed25519 public key */
    publicKey: z.string().max(64),
    signedInAt: z.number().int()
  })
])
export type IdentityView = z.infer<typeof IdentityView>

/** "Alice", "alice.3bot", " ALICE.3BOT " all mean alice.3bot. */
export const ThreeBotNameInput = z.string().max(60).transform(normalizeThreeBotName).pipe(ThreeBotName)

export const GuestName = DisplayName.refine(
  (name) => !looksLikeThreeBotName(name),
  'a guest name cannot look like a 3Bot name (.3bot): that would read as verified'
)

/** A ThreeFold Connect login in progress: open `loginUrl`, catch the navigation to `redirectPrefix`. */
export const ThreefoldLoginStart = z.object({
  loginUrl: z.string().max(4096),
  state: z.string().max(100),
  /** Any navigation starting with this (https://<appId><path>) carries the answer. */
  redirectPrefix: z.string().max(400),
  /** ms since epoch; the phone app ignores requests older than 2 minutes */
  expiresAt: z.number().int()
})
export type ThreefoldLoginStart = z.infer<typeof ThreefoldLoginStart>

export const identityMethods = {
  'identity.current': method(NoParams, IdentityView),
  /** Restore from the 24-word seed phrase; the words are used once and never stored. */
  'identity.restore': method(z.object({ name: ThreeBotNameInput, words: z.string().max(SEED_TEXT_MAX) }), IdentityView),
  'identity.guest': method(z.object({ displayName: GuestName }), IdentityView),
  /** Step 1 of ThreeFold Connect: a fresh state bound to this device key, and the login URL. */
  'identity.threefoldLogin.start': method(NoParams, ThreefoldLoginStart),
  /** Step 2: the redirect URL the login page sent the browser to (signedAttempt or error). */
  'identity.threefoldLogin.complete': method(z.object({ redirectUrl: z.string().max(16 * 1024) }), IdentityView, { maxBytes: 20 * 1024 }),
  'identity.threefoldLogin.cancel': method(NoParams, Ok),
  /** Both steps in the desktop app's own login window. Unavailable in the headless host. */
  'identity.threefoldLogin.run': method(NoParams, IdentityView),
  /** Wipes the device key and credential from disk. `confirm` makes an accidental call harmless. */
  'identity.signOut': method(z.object({ confirm: z.literal(true) }), IdentityView),
  /** Trust the directory's current key for a name whose key changed (after checking out of band). */
  'identity.acceptKeyChange': method(z.object({ name: ThreeBotName }), Ok)
}

export const identityEvents = {
  'identity.changed': IdentityView
}
