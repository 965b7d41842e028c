import { DymError } from '../../../../shared/contract/errors'
import type { Handler } from '../../service'
import { signAck } from './consent-ack'
import { ConsentSession } from './consent-log'

/** What consent needs of who we are: this device's key and what vouches for it (the room handshake's presentation). */
export interface ConsentIdentity {
  deviceKeySeed(): Promise<Uint8Array>
  presentation(): Promise<unknown | null>
}

/** The name a presentation shows: the 3Bot name, or a guest's display name. */
export function presentedName(presentation: unknown): string {
  const p = presentation as { kind?: unknown; name?: unknown; displayName?: unknown } | null
  const name = p?.kind === '3bot' ? p.name : p?.kind === 'guest' ? p.displayName : null
  return typeof name === 'string' ? name.slice(0, 64) : 'Someone'
}

async function whoWeAre(identity: ConsentIdentity | undefined): Promise<{ seed: Uint8Array; name: string; presentation: unknown }> {
  if (!identity) throw new DymError('unavailable', 'This app has no identity to sign with')
  const presentation = await identity.presentation()
  if (presentation === null) throw new DymError('unavailable', 'Sign in first')
  return { seed: await identity.deviceKeySeed(), name: presentedName(presentation), presentation }
}

/** A tracks recording's consent session, signed as whoever we are now (null without an identity: tests, no sign-in). */
export async function openConsent(identity: ConsentIdentity | undefined): Promise<ConsentSession | null> {
  if (!identity) return null
  const presentation = await identity.presentation()
  if (presentation === null) return null
  return new ConsentSession(await identity.deviceKeySeed(), { name: presentedName(presentation), presentation })
}

export function createConsentHandlers(deps: {
  identity: ConsentIdentity | undefined
  /** the consent session of a running recording by its id (throws when there is none) */
  consentOf: (recordingId: string) => ConsentSession | null
}): { 'recording.consent-answer': Handler<'recording.consent-answer'>; 'recording.consent': Handler<'recording.consent'> } {
  return {
    'recording.consent-answer': async (req) => {
      const me = await whoWeAre(deps.identity)
      try {
        return signAck(me.seed, {
          recording: req.recording,
          recorder: req.recorder,
          name: me.name,
          presentation: me.presentation,
          answer: req.answer
        })
      } finally {
        me.seed.fill(0)
      }
    },
    // A refusal: the recording takes no new track of theirs, and leaves out what it has at stop.
    'recording.consent': (req) => {
      const consent = deps.consentOf(req.recordingId)
      if (!consent) throw new DymError('bad-request', 'This recording does not ask for consent')
      const result = consent.receive(req.ack)
      if (!result.accepted) return { accepted: false, reason: result.reason }
      return { accepted: true, answer: result.answer }
    }
  }
}
