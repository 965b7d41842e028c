import { execFileSync } from 'node:child_process'
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signCredentialLocally } from '../../../src/main/core/identity/credential'
import { newEd25519Key, peerIdOfKey, type Ed25519Key } from '../../../src/main/core/identity/keys'
import type { ConsentIdentity } from '../../../src/main/core/recorder/consent/consent-handlers'
import { verifyRecording, type Verdict } from '../../../src/main/core/recorder/consent/verify-recording'
import type { FfmpegTools } from '../../../src/main/core/recorder/find-ffmpeg'
import { findFfmpeg } from '../../../src/main/core/recorder/find-ffmpeg'
import { ffprobe, streamFacts } from '../../support/media'
import { RecorderUnderTest } from '../../support/recorder'
import { tracksRecording } from '../../support/tracks-fixture'

const APP = 'meet.example'

/** A signed-in member: a device key, and a 3Bot credential binding it (or a guest's name). */
function member(threeBot: string | null): { key: Ed25519Key; peerId: string; identity: ConsentIdentity } {
  const key = newEd25519Key()
  const presentation = threeBot
    ? signCredentialLocally({ name: threeBot, appId: APP, userSeed: newEd25519Key().seed, devicePublicKey: key.publicKey })
    : { v: 1, kind: 'guest', displayName: 'Carol' }
  return {
    key,
    peerId: peerIdOfKey(key.publicKey),
    identity: { deviceKeySeed: () => Promise.resolve(Uint8Array.from(key.seed)), presentation: () => Promise.resolve(presentation) }
  }
}

const alice = member('alice.3bot')
const bob = member('bob.3bot')
const carol = member(null)
const dan = member(null)
let recorder: RecorderUnderTest
/** Bob's and Carol's own apps: they sign their answers there. */
let bobApp: RecorderUnderTest
let carolApp: RecorderUnderTest
let tools: FfmpegTools
let file: string
const refusals: unknown[] = []

/** The file with one byte changed at `at`, as a copy. */
function tampered(name: string, change: (bytes: Buffer) => void): string {
  const copy = path.join(recorder.root, name)
  copyFileSync(file, copy)
  const bytes = readFileSync(copy)
  change(bytes)
  writeFileSync(copy, bytes)
  return copy
}

/**
 * The app after `crashed` died: it starts on the same data and folder, recovers the recording,
 * lists it as recovered, and the file's media tracks are `titles`; then `more` checks.
 */
async function recoverAndExpect(
  crashed: RecorderUnderTest,
  made: { name: string; file: string },
  titles: string[],
  more: () => Promise<void> = async () => undefined
): Promise<void> {
  const next = new RecorderUnderTest({ identity: alice.identity, dataDir: crashed.dataDir, folder: crashed.folder })
  try {
    await next.start()
    const { recordings } = await next.call('recording.list', {})
    expect(recordings).toEqual([expect.objectContaining({ name: made.name, status: 'recovered' })])
    const facts = await streamFacts(made.file)
    expect(facts.filter((s) => s.codec_type !== 'attachment').map((s) => s.title)).toEqual(titles)
    await more()
  } finally {
    await next.close()
    rmSync(crashed.root, { recursive: true, force: true })
  }
}

describe('consent signed into a tracks recording (real ffmpeg)', () => {
  beforeAll(async () => {
    tools = await findFfmpeg()
    recorder = await new RecorderUnderTest({ identity: alice.identity }).start()
    bobApp = await new RecorderUnderTest({ identity: bob.identity }).start()
    carolApp = await new RecorderUnderTest({ identity: carol.identity }).start()
    const made = await tracksRecording(
      recorder,
      'Consented',
      [
        { id: alice.peerId, name: 'alice.3bot' },
        { id: bob.peerId, name: 'bob.3bot' },
        { id: carol.peerId, name: 'Carol' },
        // Dan never answers: he is left out as much as Carol, who refuses.
        { id: dan.peerId, name: 'Dan' }
      ],
      5,
      async (state) => {
        const { consent } = state
        if (!consent) throw new Error('a tracks recording with an identity asks for consent')
        expect(consent.recorder).toBe(alice.peerId)
        const ask = { recording: consent.id, recorder: consent.recorder }
        const yes = await bobApp.call('recording.consent-answer', { ...ask, answer: 'agree' })
        const no = await carolApp.call('recording.consent-answer', { ...ask, answer: 'refuse' })
        expect(await recorder.call('recording.consent', { recordingId: state.recordingId, ack: yes })).toEqual({
          accepted: true,
          answer: 'agree'
        })
        expect(await recorder.call('recording.consent', { recordingId: state.recordingId, ack: no })).toEqual({
          accepted: true,
          answer: 'refuse'
        })
        // Refused: no new track of hers is taken.
        await expect(
          recorder.call('recording.track', {
            recordingId: state.recordingId,
            personId: carol.peerId,
            personName: 'Carol',
            role: 'screen',
            kind: 'video',
            codec: 'vp8'
          })
        ).rejects.toMatchObject({ code: 'denied' })
        // Answers that do not hold are refused, and change nothing.
        const forged = { ...yes, answer: 'refuse' }
        const otherRecording = await bobApp.call('recording.consent-answer', {
          ...ask,
          recording: 'BBBBBBBBBBBBBBBBBBBBBB',
          answer: 'refuse'
        })
        const claimsAlice = { ...no, by: alice.peerId }
        const huge = { ...yes, presentation: 'x'.repeat(20_000) }
        for (const ack of [forged, otherRecording, claimsAlice, huge, { nonsense: true }, null])
          refusals.push(await recorder.call('recording.consent', { recordingId: state.recordingId, ack }))
      }
    )
    file = made.file
  }, 180_000)

  afterAll(async () => {
    await Promise.all([recorder?.close(), bobApp?.close(), carolApp?.close()])
  })

  it('bad answers are refused with a reason: forged, for another recording, claiming another key, too large, malformed', () => {
    expect(refusals).toEqual([
      { accepted: false, reason: 'a bad signature' },
      { accepted: false, reason: 'for another recording' },
      { accepted: false, reason: 'a bad signature' },
      expect.objectContaining({ accepted: false, reason: expect.stringMatching(/too large|malformed/) }),
      expect.objectContaining({ accepted: false, reason: expect.stringMatching(/malformed/) }),
      expect.objectContaining({ accepted: false, reason: expect.stringMatching(/malformed/) })
    ])
  })

  it('the file has the people who agreed, not the one who refused nor the one who never answered, and a consent log that verifies', async () => {
    const facts = await streamFacts(file)
    expect(facts.filter((s) => s.codec_type !== 'attachment').map((s) => s.title)).toEqual([
      'alice.3bot',
      'alice.3bot',
      'bob.3bot',
      'bob.3bot'
    ])
    // The tags say how it was recorded, also after the log was attached.
    expect((await ffprobe(file)).tags).toMatchObject({ dym_recording_path: 'tracks', title: 'Consented' })
    const verdict = await verifyRecording(tools, file)
    expect(verdict).toMatchObject({ ok: true, problems: [], title: 'Consented', recorder: alice.peerId })
    expect(verdict.people.map((p) => [p.threeBot ?? p.name, p.answer])).toEqual([
      ['alice.3bot', 'agree'],
      ['bob.3bot', 'agree'],
      ['Carol', 'refuse']
    ])
  })

  it('a recording cut short by a crash is finished on the next start: still without the one who refused, with a consent log that verifies', async () => {
    // The first app dies before stop (its idle timer must not finish the file behind the test's back).
    const crashed = await new RecorderUnderTest({ identity: alice.identity, idleTimeoutMs: 10 * 60_000 }).start()
    const people = [
      { id: alice.peerId, name: 'alice.3bot' },
      { id: bob.peerId, name: 'bob.3bot' },
      { id: carol.peerId, name: 'Carol' }
    ]
    const made = await tracksRecording(
      crashed,
      'Crashed',
      people,
      3,
      async (state) => {
        const ask = { recording: state.consent!.id, recorder: state.consent!.recorder }
        for (const [app, answer] of [
          [bobApp, 'agree'],
          [carolApp, 'refuse']
        ] as const) {
          const ack = await app.call('recording.consent-answer', { ...ask, answer })
          expect(await crashed.call('recording.consent', { recordingId: state.recordingId, ack })).toMatchObject({ accepted: true })
        }
      },
      false
    )
    await recoverAndExpect(crashed, made, ['alice.3bot', 'alice.3bot', 'bob.3bot', 'bob.3bot'], async () => {
      const verdict = await verifyRecording(tools, made.file)
      expect(verdict).toMatchObject({ ok: true, problems: [], title: 'Crashed', recorder: alice.peerId })
      expect(verdict.people.map((p) => [p.threeBot ?? p.name, p.answer])).toEqual([
        ['alice.3bot', 'agree'],
        ['bob.3bot', 'agree'],
        ['Carol', 'refuse']
      ])
    })
  }, 120_000)

  it('a crashed recording whose consent journal cannot be read keeps only the recorder (never someone who may have refused)', async () => {
    const crashed = await new RecorderUnderTest({ identity: alice.identity, idleTimeoutMs: 10 * 60_000 }).start()
    const made = await tracksRecording(
      crashed,
      'Torn',
      [
        { id: alice.peerId, name: 'alice.3bot' },
        { id: bob.peerId, name: 'bob.3bot' }
      ],
      3,
      undefined,
      false
    )
    const journal = path.join(crashed.folder, `.${made.name.slice(0, -4)}.tracks`, 'consent.jsonl')
    writeFileSync(journal, '{"v":1,"id":') // torn where the header was
    await recoverAndExpect(crashed, made, ['alice.3bot', 'alice.3bot'])
  }, 120_000)

  it('fails after one byte of a track is changed', async () => {
    // A byte in the middle of Bob's first large video packet.
    const packets = execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', '2', '-show_entries', 'packet=pos,size', '-of', 'csv=p=0', file],
      {
        encoding: 'utf8'
      }
    )
    const [pos, size] = packets
      .split('\n')
      .map((l) => l.split(',').map(Number))
      .find(([, s]) => (s ?? 0) > 200) as [number, number]
    const changed = tampered('byte.mkv', (b) => void (b[pos + Math.floor(size / 2)]! ^= 0x01))
    const verdict: Verdict = await verifyRecording(tools, changed)
    expect(verdict.ok).toBe(false)
    expect(verdict.problems).toEqual([expect.stringMatching(/track 2 \(bob\.3bot\) was changed after the recording/)])
  })

  it('fails after the consent log is edited', async () => {
    const edited = tampered('log.mkv', (b) => {
      const at = b.indexOf('\\"title\\":\\"Consented\\"')
      expect(at).toBeGreaterThan(0)
      b.write('\\"title\\":\\"Consentex\\"', at)
    })
    const verdict = await verifyRecording(tools, edited)
    expect(verdict.ok).toBe(false)
    expect(verdict.problems).toEqual([expect.stringMatching(/consent log's signature does not match/)])
  })
})
