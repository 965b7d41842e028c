import { appendFileSync, writeFileSync } from 'node:fs'
import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { ConsentAck } from '../../../../shared/contract/recording'
import { ed25519FromSeed, peerIdOfKey } from '../../identity/keys'
import { checkAck } from './consent-ack'
import { ConsentSession } from './consent-log'
import type { ConsentSeal } from './consent-attachment'

/** The journal's name in a tracks recording's work folder. */
export const CONSENT_JOURNAL = 'consent.jsonl'
/** More than any honest recording writes (200 people x 4 answers of ~3 KB). */
const MAX_JOURNAL_BYTES = 4 * 1024 * 1024

const JournalHeader = z
  .object({ v: z.literal(1), id: z.string().max(40), recorder: z.string().max(100), startedAt: z.number().int() })
  .strict()

/**
 * A tracks recording's consent as it happens, one line per answer kept, beside its track files:
 * a crash must not turn into a file with the people who refused in it and no signed log. Written
 * synchronously (answers are few): once `recording.consent` answers, the line is in the file.
 */
export function journalConsent(session: ConsentSession, workDir: string): void {
  const file = path.join(workDir, CONSENT_JOURNAL)
  const header = { v: 1, id: session.id, recorder: session.recorder, startedAt: session.startedAt }
  writeFileSync(file, [header, ...session.kept()].map((line) => `${JSON.stringify(line)}\n`).join(''), { mode: 0o600 })
  session.onKeep = (ack) => {
    try {
      appendFileSync(file, `${JSON.stringify(ack)}\n`)
    } catch {
      // The journal only matters after a crash; the answer still counts at a normal stop.
    }
  }
}

/**
 * The consent of a recording cut short, from its journal: who agreed (only their tracks go in),
 * and the signed log when this device is the one that recorded (its key signs). Null when the
 * recording kept no journal (it asked nobody). Lines that do not hold (torn by the kill, edited)
 * are skipped: only answers whose signatures check count.
 */
export async function restoreConsent(
  workDir: string,
  title: string,
  deviceKeySeed: (() => Promise<Uint8Array>) | undefined
): Promise<{ seal: ConsentSeal | null; keeps: (personId: string) => boolean } | null> {
  const file = path.join(workDir, CONSENT_JOURNAL)
  const info = await stat(file).catch(() => null)
  if (!info) return null
  const seed = await deviceKeySeed?.().catch(() => null)
  const self = seed ? peerIdOfKey(ed25519FromSeed(seed).publicKey) : null
  // A journal that cannot be read: who agreed cannot be known, so only our own tracks go in
  // (never someone who may have refused).
  const unreadable = { seal: null, keeps: (personId: string) => personId === self }
  if (info.size > MAX_JOURNAL_BYTES) return unreadable
  const [first, ...rest] = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '')
  const header = JournalHeader.safeParse(parseOrNull(first ?? ''))
  if (!header.success) return unreadable
  const answers: ConsentAck[] = []
  for (const line of rest) {
    const checked = checkAck(parseOrNull(line))
    if (checked.ok && checked.ack.recording === header.data.id && checked.ack.recorder === header.data.recorder) answers.push(checked.ack)
  }
  const last = new Map<string, ConsentAck>()
  for (const ack of answers) last.set(ack.by, ack)
  const agreed = new Set([...last.values()].filter((a) => a.answer === 'agree').map((a) => a.by))
  const keeps = (personId: string) => agreed.has(personId)
  if (!seed || self !== header.data.recorder) return { seal: null, keeps }
  const session = ConsentSession.restore(seed, { id: header.data.id, startedAt: header.data.startedAt, answers })
  const stoppedAt = await lastWrite(workDir)
  return { seal: { keeps, seal: (tracks) => session.seal(title, tracks, stoppedAt) }, keeps }
}

function parseOrNull(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return null
  }
}

/** When the recording last wrote anything: its end, as far as the files know. */
async function lastWrite(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[])
  const times = await Promise.all(
    names.map((n) =>
      stat(path.join(dir, n)).then(
        (s) => s.mtimeMs,
        () => 0
      )
    )
  )
  const latest = Math.max(0, ...times)
  return latest > 0 ? Math.round(latest) : Date.now()
}
