import type { Page } from 'playwright-core'
import type { TestIdentity } from './threefold-standin/test-identities'

/**
 * Signing a page in, for end-to-end tests of features behind the sign-in screen. A 3Bot
 * restore needs its host pointed at a ThreeFold stand-in (writeHostSettings + standinSettings).
 */
export async function signInAsGuest(page: Page, displayName: string, timeout = 15_000): Promise<void> {
  await page.getByLabel('Your name').fill(displayName)
  await page.getByRole('button', { name: 'Continue as guest' }).click()
  await page.getByRole('button', { name: `${displayName} (guest)`, exact: true }).waitFor({ timeout })
}

/** Restore a test identity with its seed phrase and wait until the top bar shows it verified. */
export async function signInWithSeed(page: Page, identity: TestIdentity, timeout = 15_000): Promise<void> {
  await fillRestoreForm(page, identity.name, identity.mnemonic)
  await page.getByRole('button', { name: `${identity.name} (verified)`, exact: true }).waitFor({ timeout })
}

export async function fillRestoreForm(page: Page, name: string, words: string): Promise<void> {
  await page.getByLabel('3Bot name').fill(name)
  await page.getByLabel('Seed phrase (24 words)').fill(words)
  await page.getByRole('button', { name: 'Restore', exact: true }).click()
}

export async function openProfile(page: Page): Promise<void> {
  await page.getByTestId('identity-button').click()
  await page.getByTestId('profile-name').waitFor()
}
