import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { launchDetachableChromium, type DetachableChromium } from '../../../bench/lib/bare-page'
import { processesMatching } from '../../../bench/lib/process-cpu'

const PAGE = 'data:text/html,<title>bare</title><script>window.ticks = 0; setInterval(() => ticks++, 10)</script>'

describe('a benchmark page Playwright lets go of (bench/lib/bare-page.ts)', () => {
  let chromium: DetachableChromium | null = null
  afterEach(async () => {
    await chromium?.close()
    chromium = null
  })

  it('keeps running after Playwright disconnects, and answers scripts, their errors and waits over a connection of its own', async () => {
    chromium = await launchDetachableChromium({ width: 320, height: 200 })
    const page = await chromium.browser.contexts()[0]!.newPage()
    await page.goto(PAGE)
    await chromium.detach()
    expect(chromium.browser.isConnected()).toBe(false)

    const bare = await chromium.page('data:text/html')
    expect(await bare.evaluate<string>('document.title')).toBe('bare')
    const ticks = await bare.evaluate<number>('ticks')
    await bare.waitFor(`ticks > ${ticks + 5}`, 10_000)
    expect(await bare.evaluate<number>('Promise.resolve(6 * 7)')).toBe(42)
    await expect(bare.evaluate('no.such.thing')).rejects.toThrow(/no is not defined/)
    await expect(bare.waitFor('false', 300, 'never true')).rejects.toThrow(/never true: not within 300 ms/)
    await expect(chromium.page('http://nowhere.invalid/')).rejects.toThrow(/no page at/)
  }, 60_000)

  it('ends its Chromium, every process of it, and removes its profile when closed', async () => {
    const launched = await launchDetachableChromium({ width: 320, height: 200 })
    chromium = launched
    await launched.browser.contexts()[0]!.newPage()
    expect(processesMatching(launched.owns).length).toBeGreaterThan(1) // the browser and its helpers
    await launched.close()
    chromium = null
    expect(processesMatching(launched.owns)).toEqual([])
    expect(existsSync(launched.profileDir)).toBe(false)
  }, 60_000)
})
