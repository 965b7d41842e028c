import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium'
import { calls, emit, installStandInDym, serveRenderer, type StandInOptions } from '../support/stand-in-dym'

// The desktop app's renderer parts (screen picker, invite links, menu commands, shortcuts
// sheet) in real Chromium, with a stand-in window.dym in place of the Electron preload. The
// shell side of the same flows is covered by the unit tests and test/electron/.
const require = createRequire(import.meta.url)
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const pickRequest = {
  requestId: 'req-0001-abcd',
  audioAvailable: true,
  sources: [
    { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: PNG },
    { id: 'window:11:0', name: 'Quarterly slides', kind: 'window', thumbnail: PNG },
    { id: 'window:12:0', name: 'Terminal', kind: 'window', thumbnail: null }
  ]
}

let browser: Browser
let server: { url: string; close: () => Promise<void> }
let page: Page
let errors: string[]

beforeAll(async () => {
  browser = await launchChromium()
  server = await serveRenderer()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})
afterEach(async () => {
  await page?.context().close()
})

async function open(options: StandInOptions): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  page = await context.newPage()
  errors = []
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  await installStandInDym(page, options)
  await page.goto(server.url)
  await expect.poll(() => page.getByTestId('app-version').isVisible(), { timeout: 15_000 }).toBe(true)
  return page
}

// Browser-side code in a Node-typed file: the DOM is reached through a narrow cast.
type Doc = { querySelector(s: string): { contains(n: unknown): boolean } | null; activeElement: unknown }
const focusInside = (testId: string) =>
  page.evaluate((id) => {
    const doc = (globalThis as unknown as { document: Doc }).document
    return doc.querySelector(`[data-testid="${id}"]`)?.contains(doc.activeElement) ?? false
  }, testId)

describe('screen picker (desktop app renderer)', () => {
  it('lists screens and windows, keeps focus inside, and sends the chosen window with system audio', async () => {
    await open({ hostKind: 'electron' })
    await emit(page, 'screen.pick-request', pickRequest)
    const dialog = page.getByRole('dialog', { name: 'Choose what to share' })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    expect(
      await page
        .getByTestId('screen-source')
        .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.sourceId))
    ).toEqual(['screen:0:0', 'window:11:0', 'window:12:0'])
    expect(await page.getByRole('group', { name: 'Screens' }).getByText('Entire screen').isVisible()).toBe(true)
    expect(await page.getByRole('group', { name: 'Windows' }).getByText('Quarterly slides').isVisible()).toBe(true)
    // The thumbnails (data: URLs) pass the app's CSP and actually render.
    await expect
      .poll(() =>
        page.locator('.source img').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth))
      )
      .toEqual([1, 1])
    // Focus trap: Tab and Shift+Tab never leave the dialog.
    expect(await focusInside('screen-picker')).toBe(true)
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab')
      expect(await focusInside('screen-picker')).toBe(true)
    }
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab')
      expect(await focusInside('screen-picker')).toBe(true)
    }
    await page.getByText('Quarterly slides').click()
    await page.getByLabel('Also share system audio').check()
    await page.getByRole('button', { name: 'Share' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(await calls(page, 'screen.pick')).toEqual([
      ['screen.pick', { requestId: 'req-0001-abcd', sourceId: 'window:11:0', audio: true }]
    ])
    expect(errors).toEqual([])
  })

  it('Escape cancels (sourceId null); arrow keys and Enter choose without a mouse', async () => {
    await open({ hostKind: 'electron' })
    await emit(page, 'screen.pick-request', pickRequest)
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(false)
    expect(await calls(page, 'screen.pick')).toEqual([['screen.pick', { requestId: 'req-0001-abcd', sourceId: null, audio: false }]])

    await emit(page, 'screen.pick-request', { ...pickRequest, requestId: 'req-0002-abcd', audioAvailable: false })
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(true)
    expect(await page.getByTestId('screen-picker-audio').count()).toBe(0)
    await page.locator('input[value="screen:0:0"]').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect.poll(() => calls(page, 'screen.pick')).toHaveLength(2)
    expect((await calls(page, 'screen.pick'))[1]).toEqual([
      'screen.pick',
      { requestId: 'req-0002-abcd', sourceId: 'window:11:0', audio: false }
    ])
  })

  it('closes without answering when the shell cancels the request', async () => {
    await open({ hostKind: 'electron' })
    await emit(page, 'screen.pick-request', pickRequest)
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(true)
    await emit(page, 'screen.pick-cancelled', { requestId: 'req-0001-abcd' })
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(false)
    expect(await calls(page, 'screen.pick')).toEqual([])
  })

  it('has no serious accessibility violations (axe-core)', async () => {
    await open({ hostKind: 'electron' })
    await emit(page, 'screen.pick-request', pickRequest)
    await expect.poll(() => page.getByTestId('screen-picker').isVisible()).toBe(true)
    // Evaluated through DevTools, not as a <script>: the app's CSP rightly refuses inline scripts.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'))
    const violations = await page.evaluate(async () => {
      const axe = (
        globalThis as unknown as {
          axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string }> }> }
        }
      ).axe
      const result = await axe.run('[data-testid="screen-picker"]', { resultTypes: ['violations'] })
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)
    })
    expect(violations).toEqual([])
  })
})

describe('invite links (desktop app renderer)', () => {
  it('shows the pre-join screen for the link the app was started with, then for links opened later', async () => {
    await open({ hostKind: 'electron', pendingInvite: 'dym://join/first-invite' })
    const prejoin = page.getByTestId('prejoin-screen')
    await expect.poll(() => prejoin.getAttribute('data-invite')).toBe('dym://join/first-invite')
    // A link opened while running replaces it; a malformed link is explained.
    await emit(page, 'app.open-invite', { invite: 'dym://join/second-invite' })
    await expect.poll(() => prejoin.getAttribute('data-invite')).toBe('dym://join/second-invite')
    await emit(page, 'app.link-refused', { reason: 'the invite is missing from the link' })
    await expect.poll(() => page.getByTestId('link-refused').textContent()).toContain('the invite is missing from the link')
    // The renderer took the waiting link at startup and again after the event (so a reload
    // does not reopen it; the core's take-once semantics are unit-tested).
    expect(await calls(page, 'app.pending-invite')).toHaveLength(2)
    await page.getByTestId('prejoin-back').click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('no server in the middle')
    expect(errors).toEqual([])
  })
})

describe('shortcuts', () => {
  it('the menu command opens the shortcuts sheet in the desktop app; Escape closes it', async () => {
    await open({ hostKind: 'electron' })
    await emit(page, 'app.menu-command', { command: 'show-shortcuts' })
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expect.poll(() => sheet.isVisible()).toBe(true)
    expect(await sheet.getByText('Mute or unmute microphone').isVisible()).toBe(true)
    expect(await sheet.locator('kbd').first().textContent()).toBe('Ctrl+Shift+M')
    await page.keyboard.press('Escape')
    await expect.poll(() => sheet.isVisible()).toBe(false)
    // In the desktop app the menu owns the keys: the page itself ignores them.
    await page.keyboard.press('Control+/')
    expect(await sheet.isVisible()).toBe(false)
  })

  it('in the headless host (no menu) the same keys work in the page', async () => {
    await open({ hostKind: 'headless' })
    // The key listener attaches in an effect after the first paint: press until it answers.
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    for (let i = 0; i < 10 && !(await sheet.isVisible()); i++) {
      await page.keyboard.press('Control+/')
      await sheet.waitFor({ state: 'visible', timeout: 1000 }).catch(() => undefined)
    }
    expect(await sheet.isVisible()).toBe(true)
  })
})
