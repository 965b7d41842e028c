import type { Verification } from '../../../shared/contract/people'
import type { Logger } from '../log'
import { checkCredentialWithKey, type ThreeBotCredential } from './credential'
import type { VerifyCredential } from './credential-verifier'
import type { KeyPins } from './key-pins'

export type OwnStatus = { verification: Exclude<Verification, 'guest'>; warning?: string }

/**
 * How sure we are of our own 3Bot name, for our profile's badge: verified once the directory
 * (or, before it answers, the pinned key) confirms the credential, else a warning saying why.
 */
export function createOwnVerification(options: { verifyCredential: VerifyCredential; pins: KeyPins; appId: () => string; log: Logger }) {
  let status: OwnStatus = { verification: 'warning' }
  return {
    current: (): OwnStatus => status,
    set(next: OwnStatus): void {
      status = next
    },

    /** At start, before the directory answers: a signature that checks out against the pinned key. */
    setFromPin(credential: ThreeBotCredential, devicePublicKey: Uint8Array): void {
      const pin = options.pins.get(credential.name)
      if (!pin) {
        status = { verification: 'warning', warning: `Checking ${credential.name} with the ThreeFold directory…` }
        return
      }
      const check = checkCredentialWithKey(credential, devicePublicKey, pin.publicKey, options.appId())
      status = check.verdict === 'verified' ? { verification: 'verified' } : { verification: 'warning', warning: check.message }
    },

    /**
     * Check the credential with the directory. Returns the new status when it differs from the
     * current one (the caller applies it with `set` if the same person is still signed in).
     */
    async check(credential: ThreeBotCredential, devicePublicKey: Uint8Array): Promise<OwnStatus | null> {
      const check = await options.verifyCredential(credential, devicePublicKey)
      const next: OwnStatus =
        check.verdict === 'verified' ? { verification: 'verified' } : { verification: 'warning', warning: check.message.slice(0, 300) }
      if (next.verification === status.verification && next.warning === status.warning) return null
      if (next.verification === 'warning') options.log.warn(`own identity: ${next.warning}`)
      return next
    }
  }
}

export type OwnVerification = ReturnType<typeof createOwnVerification>
