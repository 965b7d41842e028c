import { spawn } from 'node:child_process'
import path from 'node:path'
import type { ElectronApplication, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { electronBinary, electronSkipReason, launchDesktopApp } from '../support/electron'
import { makeTempDir, removeDir, REPO_ROOT } from '../support/host-process'

/**
 * The desktop app's own flows, end to end in real Electron: guest sign-in, creating a
 * meeting, our screen picker, dym:// links. They need an Electron binary and a display
 * (xvfb-run on Linux); here they print why they are skipped.
 *
 * What these tests rely on (other screens must keep it):
 *   sign-in:   the identity screens' labels and roles, as test/support/identity.ts uses them:
 *              "Your name" input, "Continue as guest" button, then a "<name> (guest)" button
 *   meeting:   new-meeting-button (home), join-button (pre-join), meeting (the call),
 *              control-invite + invite-text (the invite link), control-screen (button),
 *              screen-share-indicator (shown while sharing), screen-share-stop (button),
 *              control-leave (button)
 *   pre-join:  prejoin-screen (root, with data-invite = the dym://join/... link)
 *   picker:    screen-picker (dialog), screen-source (one per source, data-source-id),
 *              screen-picker-share, screen-picker-cancel, screen-picker-audio (Windows only)
 */
const skip = electronSkipReason()
let app: ElectronApplication | null = null
let dataDir = ''

afterEach(async () => {
  await app?.close()
  app = null
  if (dataDir) removeDir(dataDir)
  dataDir = ''
})

async function start(args: string[] = []): Promise<Page> {
  dataDir = makeTempDir('dym-electron-')
  const launched = await launchDesktopApp({ dataDir, args })
  app = launched.app
  await expect.poll(() => launched.page.getByTestId('app-version').isVisible(), { timeout: 30_000 }).toBe(true)
  return launched.page
}

async function signInAsGuest(page: Page, name: string): Promise<void> {
  await page.getByLabel('Your name').fill(name)
  await page.getByRole('button', { name: 'Continue as guest' }).click()
  await page.getByRole('button', { name: `${name} (guest)`, exact: true }).waitFor({ timeout: 20_000 })
}

const menuEnabled = (id: string) =>
  app!.evaluate(({ Menu }, itemId) => Menu.getApplicationMenu()?.getMenuItemById(itemId)?.enabled ?? null, id)

describe.skipIf(skip !== null)('Electron app: flows', () => {
  it('signs in as a guest', async () => {
    const page = await start()
    await signInAsGuest(page, 'Ada Guest')
  })

  it('creates a meeting, shares the screen through our picker, stops, and leaves', async () => {
    const page = await start()
    await signInAsGuest(page, 'Ada Guest')
    expect(await menuEnabled('toggle-mute')).toBe(false)
    await page.getByTestId('new-meeting-button').click()
    await page.getByTestId('join-button').click()
    await expect.poll(() => page.getByTestId('meeting').isVisible(), { timeout: 30_000 }).toBe(true)
    await page.getByTestId('control-invite').click()
    expect(await page.locator('.invite-pop [data-testid="invite-text"]').inputValue()).toMatch(/^dym:\/\/join\//)
    await page.keyboard.press('Escape')
    // In a call: the Meeting menu is live (and the display is kept awake).
    await expect.poll(() => menuEnabled('toggle-mute')).toBe(true)

    await page.getByTestId('control-screen').click()
    await expect.poll(() => page.getByTestId('screen-picker').isVisible(), { timeout: 20_000 }).toBe(true)
    await page.getByTestId('screen-source').first().click()
    await page.getByTestId('screen-picker-share').click()
    await expect.poll(() => page.getByTestId('screen-share-indicator').isVisible(), { timeout: 20_000 }).toBe(true)
    await page.getByTestId('screen-share-stop').click()
    await expect.poll(() => page.getByTestId('screen-share-indicator').isVisible()).toBe(false)

    await page.getByTestId('control-leave').click()
    await expect.poll(() => menuEnabled('toggle-mute'), { timeout: 20_000 }).toBe(false)
  })

  it('getDisplayMedia opens our picker, which lists the screens; Share grants it, Escape refuses', async () => {
    const page = await start()
    type Result = { tracks: number } | { error: string }
    const ask = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as {
          navigator: { mediaDevices: { getDisplayMedia: (c: object) => Promise<{ getVideoTracks: () => Array<{ stop: () => void }> }> } }
          __share?: Promise<Result>
        }
        g.__share = g.navigator.mediaDevices.getDisplayMedia({ video: true }).then(
          (s) => {
            const tracks = s.getVideoTracks()
            tracks.forEach((t) => t.stop())
            return { tracks: tracks.length }
          },
          (e: { name: string }) => ({ error: e.name })
        )
      })
    const result = () => page.evaluate(() => (globalThis as unknown as { __share: Promise<Result> }).__share)

    await ask()
    await expect.poll(() => page.getByTestId('screen-picker').isVisible(), { timeout: 20_000 }).toBe(true)
    const ids = await page
      .getByTestId('screen-source')
      .evaluateAll((els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.sourceId))
    expect(ids.some((id) => id?.startsWith('screen:'))).toBe(true)
    // Our own window is never offered (no hall of mirrors).
    expect(ids.filter((id) => /^window:[^:]+:1$/.test(id ?? ''))).toEqual([])
    await page.getByTestId('screen-source').first().click()
    await page.getByTestId('screen-picker-share').click()
    expect(await result()).toEqual({ tracks: 1 })

    await ask()
    await expect.poll(() => page.getByTestId('screen-picker').isVisible(), { timeout: 20_000 }).toBe(true)
    await page.keyboard.press('Escape')
    expect(await result()).toEqual({ error: 'NotAllowedError' })
  })

  it('a dym:// link opens the pre-join screen, at start and in the running instance', async () => {
    const page = await start(['dym://join/electron-test-invite'])
    // A fresh profile signs in first; the link waits and opens right after.
    await signInAsGuest(page, 'Link Follower')
    await expect
      .poll(() => page.getByTestId('prejoin-screen').getAttribute('data-invite'), { timeout: 20_000 })
      .toBe('dym://join/electron-test-invite')

    // A second start with another link hands it to the running instance and exits.
    const binary = electronBinary()
    if (!('path' in binary)) throw new Error('unreachable')
    const root = process.getuid?.() === 0 ? ['--no-sandbox'] : []
    const second = spawn(binary.path, [...root, path.join(REPO_ROOT, 'out/main/index.js'), 'dym://join/second-invite'], {
      env: { ...process.env, DYM_DATA_DIR: dataDir },
      stdio: 'ignore'
    })
    const exitCode = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(exitCode).toBe(0)
    await expect
      .poll(() => page.getByTestId('prejoin-screen').getAttribute('data-invite'), { timeout: 20_000 })
      .toBe('dym://join/second-invite')
    expect(app!.windows()).toHaveLength(1)
  })
})
