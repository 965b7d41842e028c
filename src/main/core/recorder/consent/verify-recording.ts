import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { base64urlnopad } from '@scure/base'
import { verifySignature } from '../../identity/ed25519-native'
import { checkStatement, parseCredential, peekSignedAttempt } from '../../identity/credential'
import type { FfmpegTools } from '../find-ffmpeg'
import { probeFile } from '../probe'
import { lastErrorLine, runTool } from '../run-tool'
import { scanStreams } from '../track-scan'
import { checkAck, keyOfPeer } from './consent-ack'
import { CONSENT_ATTACHMENT, ConsentLog, logSignedBytes, SealedLog } from './consent-log'

export interface ConsentingPerson {
  peerId: string
  name: string
  /** the 3Bot name whose credential (in the answer) vouches for the key that signed it */
  threeBot: string | null
  answer: 'agree' | 'refuse'
  at: number
}

export interface Verdict {
  ok: boolean
  /** what does not hold, in words; empty when ok */
  problems: string[]
  title: string | null
  recorder: string | null
  people: ConsentingPerson[]
}

/** The attachment's text, or null when the file has none. */
async function readAttachment(tools: Pick<FfmpegTools, 'ffmpeg'>, file: string): Promise<string | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dym-verify-'))
  const out = path.join(dir, 'log.json')
  try {
    // ffmpeg writes the attachment while opening the input, then has nothing to do: its exit
    // code says nothing here, the file it wrote does.
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      `-dump_attachment:m:filename:${CONSENT_ATTACHMENT}`,
      out,
      '-y',
      '-i',
      file
    ]
    await runTool(tools.ffmpeg, args, { timeoutMs: 60_000 })
    const text = await readFile(out, 'utf8').catch(() => null)
    return text && text.length <= 4 * 1024 * 1024 ? text : null
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The 3Bot name a presentation binds to this device key without its 3Bot signature being checkable offline. */
function boundThreeBot(presentation: unknown, devicePublicKey: Uint8Array): string | null {
  const parsed = parseCredential(presentation)
  if (!('credential' in parsed)) return null
  const opened = peekSignedAttempt(parsed.credential.signedAttempt)
  if (!('statement' in opened)) return null
  return checkStatement(opened.statement, parsed.credential, devicePublicKey, opened.statement.appId.toLowerCase())
    ? null
    : parsed.credential.name
}

/**
 * `dym verify-recording`: the file's consent log is signed by the recorder whose key it names;
 * every answer in it is signed by the key of the member it names, for this recording; every
 * track in the file is in the log, with the same hash over all its packets (ffmpeg's framehash,
 * computed again here), and whoever is in the tracks agreed. Any byte of a track changed, or
 * any character of the log, and it fails.
 */
export async function verifyRecording(tools: FfmpegTools, file: string): Promise<Verdict> {
  const verdict: Verdict = { ok: false, problems: [], title: null, recorder: null, people: [] }
  const fail = (problem: string) => {
    verdict.problems.push(problem)
    return verdict
  }
  const probe = await probeFile(tools, file)
  if (!probe) return fail('ffmpeg cannot read this file')
  const text = await readAttachment(tools, file)
  if (!text) return fail(`the file has no consent log (${CONSENT_ATTACHMENT})`)
  let sealed: { log: string; sig: string }
  let log: ConsentLog
  try {
    sealed = SealedLog.parse(JSON.parse(text))
    log = ConsentLog.parse(JSON.parse(sealed.log))
  } catch {
    return fail('the consent log is not in the expected format')
  }
  verdict.title = log.recording.title
  verdict.recorder = log.recording.recorder
  const recorderKey = keyOfPeer(log.recording.recorder)
  let sealOk = false
  try {
    sealOk = !!recorderKey && verifySignature(recorderKey, logSignedBytes(sealed.log), base64urlnopad.decode(sealed.sig))
  } catch {
    sealOk = false // not base64url
  }
  if (!sealOk) fail("the consent log's signature does not match the recorder's key: it was changed after the recording")

  const lastWord = new Map<string, ConsentingPerson>()
  for (const answer of log.answers) {
    const checked = checkAck(answer)
    if (!checked.ok) {
      fail(`an answer from ${answer.name || answer.by} does not hold: ${checked.reason}`)
      continue
    }
    if (answer.recording !== log.recording.id || answer.recorder !== log.recording.recorder) {
      fail(`an answer from ${answer.name || answer.by} is for another recording`)
      continue
    }
    const key = keyOfPeer(answer.by) as Uint8Array
    lastWord.set(answer.by, {
      peerId: answer.by,
      name: answer.name,
      threeBot: boundThreeBot(answer.presentation, key),
      answer: answer.answer,
      at: answer.at
    })
  }
  verdict.people = [...lastWord.values()]

  const media = probe.streams.filter((s) => s.kind === 'video' || s.kind === 'audio')
  const logged = new Map(log.tracks.map((t) => [t.index, t]))
  const scans = await scanStreams(
    tools,
    file,
    media.map((s) => s.index),
    undefined,
    { storedTimes: true }
  ).catch((err: unknown) => {
    fail(`the tracks cannot be read: ${err instanceof Error ? lastErrorLine(err.message) : String(err)}`)
    return []
  })
  for (const scan of scans) {
    const entry = logged.get(scan.index)
    if (!entry) {
      fail(`track ${scan.index} is not in the consent log: it was added afterwards`)
      continue
    }
    logged.delete(scan.index)
    if (entry.sha256 !== scan.sha256 || entry.packets !== scan.packets)
      fail(`track ${scan.index} (${entry.name}) was changed after the recording`)
    if (lastWord.get(entry.person)?.answer !== 'agree') fail(`track ${scan.index} is of ${entry.name}, who did not agree to be recorded`)
  }
  for (const missing of logged.values()) fail(`track ${missing.index} (${missing.name}) of the consent log is not in the file`)
  verdict.ok = verdict.problems.length === 0
  return verdict
}
