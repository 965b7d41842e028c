import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import { REPO_ROOT } from '../support/host-process'
import { streamFacts } from '../support/media'
import { threeInAMeeting } from '../support/meeting-steps'

/**
 * Issue 18's consent, over real hosts and real Chromium: one records; every other member is
 * shown the notice and answers it; the one who refuses is left out of the file and everyone is
 * told; the file carries the signed consent log, which `dym verify-recording` accepts, naming
 * who consented.
 */
let harness: Harness
afterEach(async () => harness?.close())

const toast = (page: Page, text: string) => page.getByTestId('toast').filter({ hasText: text })

describe('consent to a recording, signed into the file (real core, real Chromium, real ffmpeg)', () => {
  it('Bob agrees, Carol refuses: the file has Alice and Bob only, everyone is told, dym verify-recording names who consented', async () => {
    harness = new Harness()
    const recordingsDir = harness.tempDir('dym-consent-recordings-')
    const { pages } = await threeInAMeeting(harness, 'Consent', 30_000, ['Alice', 'Bob', 'Carol'], (i) =>
      i === 0 ? { DYM_RECORDINGS_DIR: recordingsDir } : undefined
    )
    const [alice, bob, carol] = pages as [Page, Page, Page]
    await alice.getByTestId('control-record').click()
    await alice.getByTestId('my-recording-elapsed').waitFor({ timeout: 30_000 })
    const question = 'Alice is recording this meeting'
    await toast(bob, question).getByRole('button', { name: 'I agree' }).click({ timeout: 30_000 })
    await toast(carol, question).getByRole('button', { name: 'Refuse' }).click({ timeout: 30_000 })
    // Everyone sees the refusal (Carol her own).
    await toast(alice, 'Carol refused to be recorded').waitFor({ timeout: 30_000 })
    await toast(bob, 'Carol refused to be recorded').waitFor({ timeout: 30_000 })
    await toast(carol, 'You refused').waitFor({ timeout: 30_000 })
    // A few seconds of recording after the answers, by the recorder's own clock.
    await alice.evaluate(`(async () => {
      const deadline = Date.now() + 60000
      while ((Date.now() - window.dymRecorder.status.startedAt) / 1000 < 6) {
        if (Date.now() > deadline) throw new Error('the recording never reached 6 s')
        await new Promise((r) => setTimeout(r, 50))
      }
    })()`)
    await alice.getByTestId('control-record').click()
    const saved = toast(alice, 'Recording saved as')
    await saved.waitFor({ timeout: 60_000 })
    const name = /Recording saved as (\S+\.mkv)/.exec((await saved.textContent()) ?? '')?.[1] ?? ''
    expect(readdirSync(recordingsDir)).toEqual([name])
    const file = path.join(recordingsDir, name)

    const streams = await streamFacts(file)
    expect(streams.filter((s) => s.codec_type !== 'attachment').map((s) => `${s.title} ${s.codec_name}`)).toEqual([
      'Alice vp8',
      'Alice opus',
      'Bob vp8',
      'Bob opus'
    ])
    const verify = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'dym.mjs'), 'verify-recording', file], { encoding: 'utf8' })
    console.log(verify.stdout, verify.stderr)
    expect(verify.status).toBe(0)
    expect(verify.stdout).toMatch(/consented: Alice \(guest\)/)
    expect(verify.stdout).toMatch(/consented: Bob \(guest\)/)
    expect(verify.stdout).toMatch(/refused: Carol \(guest\)/)
    expect(verify.stdout).toMatch(/^OK: /m)
  }, 240_000)
})
