import { randomBytes } from 'node:crypto'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { base64urlnopad } from '@scure/base'
import { z } from 'zod'
import { ConsentAck, type ConsentAnswer } from '../../../../shared/contract/recording'
import { signWithSeed } from '../../identity/ed25519-native'
import { ed25519FromSeed, peerIdOfKey } from '../../identity/keys'
import { ACK_CLOCK_SLACK_MS, checkAck, signAck } from './consent-ack'

/** The attachment's name and type in the recording. */
export const CONSENT_ATTACHMENT = 'dym-consent-log.json'
export const CONSENT_MIME = 'application/json'
/** People a recording keeps answers of, and answers per person (one may change their mind). */
const MAX_PEOPLE = 200
const MAX_ANSWERS_EACH = 4

export const LoggedTrack = z
  .object({
    index: z.number().int().nonnegative(),
    person: z.string().max(100),
    name: z.string().max(64),
    role: z.enum(['camera', 'screen']),
    kind: z.enum(['video', 'audio']),
    packets: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/)
  })
  .strict()
export type LoggedTrack = z.infer<typeof LoggedTrack>

/** What the recorder signs at stop: the recording, every answer it received, every track's hash. */
export const ConsentLog = z
  .object({
    v: z.literal(1),
    recording: z
      .object({
        id: z.string().max(40),
        recorder: z.string().max(100),
        title: z.string().max(200),
        startedAt: z.number().int(),
        stoppedAt: z.number().int()
      })
      .strict(),
    answers: z.array(ConsentAck).max(MAX_PEOPLE * MAX_ANSWERS_EACH),
    tracks: z.array(LoggedTrack).max(256)
  })
  .strict()
export type ConsentLog = z.infer<typeof ConsentLog>

/** The attachment: the log's exact text and the recorder's signature over it. */
export const SealedLog = z.object({ log: z.string().max(2 * 1024 * 1024), sig: z.string().max(100) }).strict()

export const logSignedBytes = (logText: string) => utf8ToBytes(`dym/consent-log/v1\n${logText}`)

/**
 * The consent of one recording, owned by the recording: its random id, the recorder's own
 * signed agreement, and every member's answer that holds (signed by the key of the peer it
 * names, for this recording, dated within it). Who refused is left out of the file.
 */
export class ConsentSession {
  readonly id: string
  readonly recorder: string
  private readonly answers = new Map<string, ConsentAck[]>()
  /** told of every answer kept (the journal that outlives a crash: consent-journal.ts) */
  onKeep: ((ack: ConsentAck) => void) | null = null

  constructor(
    private readonly seed: Uint8Array,
    self: { name: string; presentation: unknown } | null,
    readonly startedAt = Date.now(),
    /** a recording cut short, as its journal kept it (answers already checked) */
    restored?: { id: string; answers: ConsentAck[] }
  ) {
    this.id = restored?.id ?? base64urlnopad.encode(randomBytes(16))
    this.recorder = peerIdOfKey(ed25519FromSeed(seed).publicKey)
    for (const ack of restored?.answers ?? []) this.keep(ack)
    // Starting a recording is the recorder's own agreement to be in it.
    if (!restored && self) this.keep(signAck(seed, { recording: this.id, recorder: this.recorder, ...self, answer: 'agree' }, startedAt))
  }

  /** The consent of a recording cut short, from its journal, signed again by the same recorder. */
  static restore(seed: Uint8Array, journal: { id: string; startedAt: number; answers: ConsentAck[] }): ConsentSession {
    return new ConsentSession(seed, null, journal.startedAt, journal)
  }

  /** Every answer kept so far, in the order they came. */
  kept(): ConsentAck[] {
    return [...this.answers.values()].flat().sort((a, b) => a.at - b.at)
  }

  /** A member's answer as it arrived: kept, or why not. */
  receive(value: unknown, now = Date.now()): { accepted: true; answer: ConsentAnswer; by: string } | { accepted: false; reason: string } {
    const checked = checkAck(value)
    if (!checked.ok) return { accepted: false, reason: checked.reason }
    const { ack } = checked
    if (ack.recording !== this.id || ack.recorder !== this.recorder) return { accepted: false, reason: 'for another recording' }
    if (ack.at < this.startedAt - ACK_CLOCK_SLACK_MS || ack.at > now + ACK_CLOCK_SLACK_MS)
      return { accepted: false, reason: 'dated outside the recording' }
    if (ack.by === this.recorder) return { accepted: false, reason: 'the recorder answers for itself' }
    const mine = this.answers.get(ack.by)
    if (!mine && this.answers.size >= MAX_PEOPLE) return { accepted: false, reason: 'too many people' }
    if (mine?.some((a) => a.sig === ack.sig)) return { accepted: true, answer: ack.answer, by: ack.by }
    if ((mine?.length ?? 0) >= MAX_ANSWERS_EACH) return { accepted: false, reason: 'too many answers from one person' }
    this.keep(ack)
    return { accepted: true, answer: ack.answer, by: ack.by }
  }

  /** The person's last word is a refusal. */
  refused(personId: string): boolean {
    return this.answers.get(personId)?.at(-1)?.answer === 'refuse'
  }

  /** The person's last word is "I agree" (the recorder agreed by starting). */
  agreed(personId: string): boolean {
    return this.answers.get(personId)?.at(-1)?.answer === 'agree'
  }

  /** The attachment's text: the log (answers in the order they came, the tracks' hashes), signed. */
  seal(title: string, tracks: LoggedTrack[], stoppedAt = Date.now()): string {
    const log: ConsentLog = {
      v: 1,
      recording: { id: this.id, recorder: this.recorder, title: title.slice(0, 200), startedAt: this.startedAt, stoppedAt },
      answers: this.kept(),
      tracks
    }
    const text = JSON.stringify(ConsentLog.parse(log))
    return JSON.stringify({ log: text, sig: base64urlnopad.encode(signWithSeed(this.seed, logSignedBytes(text))) })
  }

  private keep(ack: ConsentAck): void {
    this.answers.set(ack.by, [...(this.answers.get(ack.by) ?? []), ack])
    this.onKeep?.(ack)
  }
}
