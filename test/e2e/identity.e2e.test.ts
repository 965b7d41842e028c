import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityProblems } from '../support/axe'
import { Harness, type Peer } from '../support/harness'
import { fillRestoreForm as restore, openProfile, signInAsGuest, signInWithSeed } from '../support/identity'
import { standinSettings, writeHostSettings } from '../support/settings'
import { startThreefoldStandin, type ThreefoldStandin } from '../support/threefold-standin/server'
import { ALICE, VECTOR_MNEMONIC } from '../support/threefold-standin/test-identities'

let harness: Harness
let standin: ThreefoldStandin
beforeAll(async () => {
  standin = await startThreefoldStandin()
})
afterAll(() => standin.close())
afterEach(async () => harness.close())

/** A host configured (settings.json, before start) to use the local ThreeFold stand-in. */
async function peerUsingStandin(dataDir?: string): Promise<Peer> {
  const dir = dataDir ?? harness.tempDir('dym-identity-')
  if (!dataDir) writeHostSettings(dir, standinSettings(standin.url))
  return harness.addPeer({ dataDir: dir })
}

describe('identity in the browser, through the headless host', () => {
  it('restore with the test mnemonic and a name: the profile shows the name as verified, with the key fingerprint', async () => {
    harness = new Harness()
    const { page, pageErrors } = await peerUsingStandin()
    await page.getByRole('heading', { name: 'Sign in to meet' }).waitFor()
    expect(await accessibilityProblems(page)).toEqual([])
    // Without the desktop app, ThreeFold Connect says what it needs.
    await expect.poll(() => page.getByText('Needs the desktop app').isVisible()).toBe(true)
    // ...and its button cannot be pressed here (pressing it only repeated the note in red).
    expect(await page.getByRole('button', { name: 'Sign in with ThreeFold Connect' }).isDisabled()).toBe(true)

    await restore(page, 'vector', VECTOR_MNEMONIC)
    await page.getByRole('button', { name: 'vector.3bot (verified)', exact: true }).waitFor({ timeout: 15_000 })
    await openProfile(page)
    expect(await page.getByTestId('profile-name').textContent()).toBe('vector.3bot')
    expect(await page.getByTestId('verification-badge').textContent()).toContain('Verified')
    expect(await page.getByTestId('profile-fingerprint').textContent()).toMatch(/^([0-9a-f]{4} ){5}[0-9a-f]{4}$/)
    expect(await page.getByText('seed phrase,').isVisible()).toBe(true)
    // One date format in the app (the recordings' one: no seconds).
    expect(await page.getByText('seed phrase,').textContent()).not.toMatch(/\d:\d\d:\d\d/)
    expect(await accessibilityProblems(page)).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('a wrong word shows the word-level error with a suggestion; taking the suggestion signs in', async () => {
    harness = new Harness()
    const { page } = await peerUsingStandin()
    const words = VECTOR_MNEMONIC.split(' ')
    words[4] = 'burts'
    await restore(page, 'vector.3bot', words.join(' '))
    const error = page.getByTestId('seed-error')
    await expect.poll(() => error.textContent()).toBe('Word 5, "burts", is not in the seed word list. Did you mean "burst"?')
    expect(await page.getByLabel('Seed phrase (24 words)').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('.seed-grid li.bad').allTextContents()).toEqual(['5burts'])
    await page.getByRole('button', { name: 'Use “burst” for word 5' }).click()
    expect(await error.count()).toBe(0)
    await page.getByRole('button', { name: 'Restore', exact: true }).click()
    await page.getByRole('button', { name: 'vector.3bot (verified)', exact: true }).waitFor({ timeout: 15_000 })
  })

  it('words that belong to someone else are refused with the reason, and nobody is signed in', async () => {
    harness = new Harness()
    const { page } = await peerUsingStandin()
    await restore(page, 'alice', VECTOR_MNEMONIC)
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 15_000 })
      .toContain("These words are not alice.3bot's")
    expect(await page.getByTestId('identity-button').count()).toBe(0)
  })

  it('guest sign-in from the keyboard: the profile shows the guest badge; after sign-out a new guest gets a new device key', async () => {
    harness = new Harness()
    const { page } = await peerUsingStandin()
    await page.getByLabel('Your name').fill('Dana')
    await page.getByLabel('Your name').press('Enter')
    await page.getByRole('button', { name: 'Dana (guest)', exact: true }).waitFor({ timeout: 15_000 })
    await page.getByTestId('identity-button').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('profile-name').waitFor()
    expect(await page.getByTestId('verification-badge').textContent()).toContain('Guest')
    const fingerprint = await page.getByTestId('profile-fingerprint').textContent()

    await page.getByRole('button', { name: 'Sign out…' }).click()
    await page.getByRole('button', { name: 'Sign out and remove keys' }).click()
    await signInAsGuest(page, 'Dana Two')
    await openProfile(page)
    expect(await page.getByTestId('profile-fingerprint').textContent()).not.toBe(fingerprint)
  })

  it('restarting the host keeps the identity; sign-out (after confirming) removes key and credential from disk', async () => {
    harness = new Harness()
    const first = await peerUsingStandin()
    const dataDir = first.host.dataDir
    await signInWithSeed(first.page, ALICE)
    await openProfile(first.page)
    const fingerprint = await first.page.getByTestId('profile-fingerprint').textContent()
    const keyFile = path.join(dataDir, 'device-key.json')
    const credentialFile = path.join(dataDir, 'identity.json')
    const keyBefore = readFileSync(keyFile, 'utf8')
    expect(existsSync(credentialFile)).toBe(true)

    await first.host.stop()
    const second = await peerUsingStandin(dataDir)
    await second.page.getByRole('button', { name: 'alice.3bot (verified)', exact: true }).waitFor({ timeout: 15_000 })
    await openProfile(second.page)
    expect(await second.page.getByTestId('profile-fingerprint').textContent()).toBe(fingerprint)

    await second.page.getByRole('button', { name: 'Sign out…' }).click()
    const dialog = second.page.getByRole('alertdialog', { name: 'Sign out of this computer?' })
    await dialog.waitFor()
    // Escape (or Cancel) keeps everything.
    await second.page.keyboard.press('Escape')
    expect(await dialog.count()).toBe(0)
    expect(readFileSync(keyFile, 'utf8')).toBe(keyBefore)

    await second.page.getByRole('button', { name: 'Sign out…' }).click()
    await second.page.getByRole('button', { name: 'Sign out and remove keys' }).click()
    await second.page.getByRole('heading', { name: 'Sign in to meet' }).waitFor()
    expect(existsSync(credentialFile)).toBe(false)
    // The old key is gone (a p2p node may already have made a new, different one).
    expect(!existsSync(keyFile) || readFileSync(keyFile, 'utf8') !== keyBefore).toBe(true)
  })
})
