import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import { threeInAMeeting } from '../support/meeting-steps'
import { axeScan, seriousFindings } from '../support/ui-checks'

/**
 * Files in chat, end to end: three people, each on their own headless host with their own
 * downloads folder, in real Chromium. The sender's page streams the file to its core in pieces;
 * each receiver's core writes it only after its person clicked Accept.
 */
let harness: Harness
const SLOW = 30_000
const MB = 1024 * 1024
afterEach(async () => harness.close())

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function makeFile(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name)
  writeFileSync(file, randomBytes(bytes))
  return file
}

/** Every data-bytes value the page's file list showed (a MutationObserver, so no frame of progress is missed). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const seen = []
    window.progressSeen = seen
    new MutationObserver((records) => {
      for (const r of records) if (r.target.getAttribute('data-direction') === 'in') seen.push(Number(r.target.getAttribute('data-bytes')))
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-bytes'] })
  })()`)
}

const row = (page: Page, direction: 'in' | 'out', state?: string) =>
  page.locator(`[data-testid="file-transfer"][data-direction="${direction}"]${state ? `[data-state="${state}"]` : ''}`)

/** How long nothing may move before a transfer counts as hung (a slow machine still moves). */
const STALL_MS = 30_000

/**
 * Until every page has the file: it fails when a transfer ends without it, or when no page's
 * progress moves for STALL_MS (a hang), never on how long the whole takes on a loaded machine.
 */
async function untilReceived(sender: Page, pages: Page[], name: string): Promise<void> {
  let seen = ''
  let movedAt = Date.now()
  for (;;) {
    const states = await Promise.all(pages.map((q) => row(q, 'in').getAttribute('data-state')))
    if (states.every((s) => s === 'done')) return
    const where = await Promise.all(pages.map((q) => q.evaluate('window.progressSeen.at(-1) ?? 0')))
    const what = `progress ${JSON.stringify(where)}, states ${JSON.stringify(states)}`
    if (states.some((s) => s === 'failed' || s === 'cancelled' || s === 'declined')) {
      // what each receiver's row says, and what the sender's rows say (the reason is in either)
      const rows = await Promise.all([...pages, sender].map((q) => q.getByTestId('file-status').allTextContents()))
      throw new Error(`${name} ended without arriving: ${what}; the rows say ${JSON.stringify(rows)}`)
    }
    if (what !== seen) [seen, movedAt] = [what, Date.now()]
    else if (Date.now() - movedAt > STALL_MS) throw new Error(`${name}: nothing moved for ${STALL_MS / 1000} s: ${what}`)
    // the first page's next progress (or a second, to look at the others again)
    const bytes = await row(pages[0]!, 'in').getAttribute('data-bytes')
    await pages[0]!
      .locator(`[data-testid="file-transfer"][data-direction="in"]:not([data-bytes="${bytes ?? ''}"])`)
      .waitFor({ timeout: 1_000 })
      .catch(() => undefined)
  }
}

describe('files in chat', () => {
  it('a 50 MB file reaches both others after they accept, with progress and matching SHA-256; a cancel mid-way leaves no file', async () => {
    harness = new Harness()
    const downloads = [0, 1, 2].map(() => harness.tempDir('dym-downloads-'))
    const { pages, ids, peers } = await threeInAMeeting(harness, 'Files', SLOW, undefined, (i) => ({ DYM_DOWNLOADS_DIR: downloads[i]! }))
    const [alice, bob, carol] = pages as [Page, Page, Page]
    const source = harness.tempDir('dym-files-')
    const big = makeFile(source, 'meeting-notes.bin', 50 * MB)
    const bigHash = await sha256Of(big)

    for (const p of pages) await p.getByTestId('control-chat').click()
    for (const p of [bob, carol]) await recordProgress(p)
    let t = Date.now()
    await alice.getByTestId('file-input').setInputFiles(big)
    // Offered, and nothing written before Accept.
    for (const p of [bob, carol]) await row(p, 'in', 'offered').waitFor({ timeout: SLOW })
    expect(downloads.map((d) => readdirSync(d))).toEqual([[], [], []])
    expect(await row(bob, 'in').getByTestId('file-status').textContent()).toContain('Alice wants to send you this file')
    const findings = await axeScan(bob)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])
    await Promise.all([bob, carol].map((p) => row(p, 'in').getByTestId('file-accept').click()))
    await untilReceived(alice, [bob, carol], 'meeting-notes.bin')
    console.log(`50 MB to two members in ${Date.now() - t} ms (offer to both saved)`)
    for (const [i, p] of [
      [1, bob],
      [2, carol]
    ] as const) {
      expect(readdirSync(downloads[i]!)).toEqual(['meeting-notes.bin'])
      expect(await sha256Of(path.join(downloads[i]!, 'meeting-notes.bin'))).toBe(bigHash)
      expect(await row(p, 'in').getByTestId('file-status').textContent()).toContain('Saved to Downloads as meeting-notes.bin')
      // Progress was shown on the way, not just the end.
      const seen = (await p.evaluate('window.progressSeen')) as number[]
      expect(
        seen.some((b) => b > 0 && b < 50 * MB),
        `progress seen: ${seen.join(',')}`
      ).toBe(true)
    }
    await expect.poll(() => row(alice, 'out', 'done').count(), { timeout: SLOW }).toBe(2)
    expect(readdirSync(downloads[0]!)).toEqual([])

    // A second, bigger file: Carol declines, Bob accepts and cancels mid-way. Nothing of it stays.
    const second = makeFile(source, 'second.bin', 100 * MB)
    t = Date.now()
    await alice.getByTestId('file-input').setInputFiles(second)
    await row(carol, 'in', 'offered').waitFor({ timeout: SLOW })
    await row(carol, 'in', 'offered').getByTestId('file-cancel').click()
    await row(bob, 'in', 'offered').getByTestId('file-accept').click()
    await expect.poll(async () => Number(await row(bob, 'in', 'active').getAttribute('data-bytes')), { timeout: SLOW }).toBeGreaterThan(0)
    await row(bob, 'in', 'active').getByTestId('file-cancel').click()
    await row(bob, 'in', 'cancelled').waitFor({ timeout: SLOW })
    expect(readdirSync(downloads[1]!)).toEqual(['meeting-notes.bin'])
    expect(readdirSync(downloads[2]!)).toEqual(['meeting-notes.bin'])
    const toBob = alice.locator(`[data-testid="file-transfer"][data-direction="out"][data-peer="${ids[1]}"]`).last()
    const toCarol = alice.locator(`[data-testid="file-transfer"][data-direction="out"][data-peer="${ids[2]}"]`).last()
    await expect.poll(() => toBob.getAttribute('data-state'), { timeout: SLOW }).toBe('cancelled')
    await expect.poll(() => toCarol.getAttribute('data-state'), { timeout: SLOW }).toBe('declined')
    expect(await toBob.getByTestId('file-status').textContent()).toContain('Bob cancelled')
    console.log(`second file declined by one, cancelled by the other after ${Date.now() - t} ms`)
    expect(existsSync(path.join(downloads[1]!, 'second.bin'))).toBe(false)

    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 900_000)
})
