import { afterEach, describe, expect, it } from 'vitest'
import { Harness } from '../support/harness'

let harness: Harness
afterEach(async () => harness.close())

describe('foundation: the renderer talks to its own core through window.dym', () => {
  it('two headless hosts at once: each page shows its own host data dir and the app version', async () => {
    harness = new Harness()
    const [a, b] = await Promise.all([harness.addPeer(), harness.addPeer()])
    for (const peer of [a, b]) {
      await expect.poll(() => peer.page.getByTestId('app-data-dir').textContent(), { timeout: 15_000 }).toBe(peer.host.dataDir)
      expect(await peer.page.getByTestId('app-version').textContent()).toMatch(/^v\d+\.\d+\.\d+/)
      await expect.poll(() => peer.page.getByRole('heading', { level: 1 }).isVisible()).toBe(true)
      // The launch token is taken out of the address bar once the bridge has it.
      expect(peer.page.url()).not.toContain('token=')
    }
    expect(a.host.dataDir).not.toBe(b.host.dataDir)
    expect([...a.pageErrors, ...b.pageErrors]).toEqual([])
  })

  it('the renderer cannot reach another host: its socket to a second host is refused', async () => {
    harness = new Harness()
    const a = await harness.addPeer()
    const other = await harness.startHost()
    const result = await a.page.evaluate(async (port) => {
      return await new Promise<string>((resolve) => {
        try {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/__dym/ws?token=guess`)
          ws.onopen = () => resolve('open')
          ws.onerror = () => resolve('refused')
        } catch (err) {
          resolve(`blocked: ${String(err)}`)
        }
      })
    }, new URL(other.origin).port)
    expect(result).not.toBe('open')
  })
})
