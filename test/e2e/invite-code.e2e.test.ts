import encodeQR from 'qr'
import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'
import { ensureSignedIn, expectLiveRemoteTiles, startMeeting } from '../support/meeting-steps'
import { axeScan, screenshot, seriousFindings } from '../support/ui-checks'

/**
 * The short form of an invite: the organiser reads out a 10-character code, a person on the
 * same network types it (any case, spaces) and is in the meeting. Both hosts run mDNS with a
 * tag of their own, so other test runs on this machine do not answer.
 */
let harness: Harness
const SLOW = 30_000
afterEach(async () => harness.close())

describe('joining with the meeting code', () => {
  it('the code is shown with the invite; typed on another device it finds the meeting; a wrong code says what to do', async () => {
    harness = new Harness()
    const tag = `dym-e2e-${process.pid}-${Date.now()}.local`
    const args = ['--listen', '/ip4/127.0.0.1/tcp/0', '--mdns-tag', tag]
    const peers = await Promise.all([harness.addPeer({ loopbackOnly: false, args }), harness.addPeer({ loopbackOnly: false, args })])
    const [alice, bob] = peers.map((p) => p.page) as [Page, Page]
    await Promise.all([ensureSignedIn(alice, 'Alice'), ensureSignedIn(bob, 'Bob')])
    const invite = await startMeeting(alice, 'Code call')
    const code = (await alice.getByTestId('invite-code').first().textContent()) ?? ''
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)

    // The QR code is the invite link itself, module for module.
    await alice.getByTestId('invite-qr-toggle').first().click()
    const drawn = await alice.getByTestId('invite-qr').locator('path').getAttribute('d')
    let expected = ''
    encodeQR(invite, 'raw', { ecc: 'low', border: 2 }).forEach((row, y) =>
      row.forEach((dark, x) => dark && (expected += `M${x} ${y}h1v1h-1z`))
    )
    expect(drawn).toBe(expected)
    await screenshot(alice, 'invite-code-and-qr')
    const findings = await axeScan(alice)
    expect(seriousFindings(findings), JSON.stringify(findings, null, 2)).toEqual([])

    // A code with a typo: no meeting answers, and the person is told what to do.
    const typo = `${code[0] === '0' ? '1' : '0'}${code.slice(1)}`
    await bob.getByTestId('join-invite-input').fill(typo)
    await bob.getByTestId('join-invite-button').click()
    await expect
      .poll(() => bob.getByRole('alert').textContent(), { timeout: SLOW })
      .toMatch(/^No meeting answered to this code\. Check the code/)

    // Read out and typed by ear: lower case, spaces instead of dashes.
    await bob.getByTestId('join-invite-input').fill(code.toLowerCase().replace(/-/g, ' '))
    await bob.getByTestId('join-invite-button').click()
    await expect.poll(() => bob.locator('#prejoin-title').textContent(), { timeout: SLOW }).toBe('Code call')
    await bob.getByTestId('join-button').click()
    await bob.getByTestId('meeting').waitFor({ timeout: SLOW })
    await Promise.all([alice, bob].map((p) => expectLiveRemoteTiles(p, 1, SLOW)))
    expect(peers.flatMap((p) => p.pageErrors)).toEqual([])
  }, 180_000)
})
