import type { Page } from 'playwright-core'
import {
  clickJoin,
  closeParticipants,
  framesDecoded,
  openParticipants,
  pasteInvite,
  receivedTiles,
  startMeeting,
  type AppParticipant
} from '../lib/app-meeting'
import { cpuSeconds } from '../lib/proc-stats'
import type { Comparison, Scenario, ScenarioReport } from '../lib/types'
import { launchCountedBrowser, measureMeshWindow, type MeshWindow } from './mesh-scale'

/**
 * What background blur costs: a two-person call of our app measured with Alice's blur off and
 * on, in turns (off, on, off, on), in the same meeting: CPU per participant-minute (browser and
 * hosts) and the frame rate Bob receives from Alice.
 */
const READY_MS = 60_000
const TURNS = 2

async function setBlur(page: Page, on: boolean): Promise<void> {
  await page.getByTestId('control-devices').click()
  const toggle = page.getByTestId('meeting-background')
  await toggle.selectOption(on ? 'blur' : 'none')
  const want = on ? 'true' : 'false'
  const until = performance.now() + READY_MS
  while ((await toggle.getAttribute('data-active')) !== want) {
    const error = await page
      .getByTestId('meeting-background-error')
      .textContent({ timeout: 100 })
      .catch(() => null)
    if (error) throw new Error(error)
    if (performance.now() > until) throw new Error(`the blur did not turn ${on ? 'on' : 'off'} within ${READY_MS} ms`)
    await page.waitForTimeout(100) // polling a real state (the switch's data-active)
  }
  await page.keyboard.press('Escape')
}

export const backgroundBlur: Scenario = {
  name: 'background-blur',
  async run(): Promise<ScenarioReport> {
    const errors: string[] = []
    const { browser, cpuSeconds: browserCpu } = await launchCountedBrowser()
    let people: AppParticipant[] = []
    const windows: Record<'off' | 'on', MeshWindow[]> = { off: [], on: [] }
    try {
      people = await openParticipants(browser, 2, { probe: false })
      const [alice, bob] = people.map((p) => p.page) as [Page, Page]
      await pasteInvite(bob, await startMeeting(alice, 'Blur bench'))
      await clickJoin(bob)
      const until = performance.now() + READY_MS
      while ((await framesDecoded(bob)).tiles < 1) {
        if (performance.now() > until) throw new Error(`Bob did not decode Alice's video within ${READY_MS} ms`)
        await bob.waitForTimeout(250) // polling a real state (frames decoded)
      }
      // Measure the blur however slowly this machine draws it, rather than have it turn itself off.
      await alice.evaluate("localStorage.setItem('dym.background.minFps', '0')")
      const hosts = () => people.reduce((sum, p) => sum + (cpuSeconds(p.host.child.pid ?? 0) ?? 0), 0)
      const measure = () => measureMeshWindow([alice, bob], { browser: browserCpu, hosts }, receivedTiles)
      for (let turn = 0; turn < TURNS; turn++)
        for (const state of ['off', 'on'] as const) {
          await setBlur(alice, state === 'on')
          windows[state].push(await measure())
        }
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err))
    } finally {
      await closeParticipants(people)
      await browser.close()
    }
    // Bob's page is the second one: its one tile is Alice.
    const aliceOnBob = (w: MeshWindow) => w.tiles[1]?.fps ?? 0
    const comparisons: Comparison[] = [
      {
        ours: {
          label: 'two-person call, background blur on: CPU per participant',
          unit: 'cpu-s/min',
          samples: windows.on.map((w) => w.cpu)
        },
        baseline: { label: 'the same call, blur off', unit: 'cpu-s/min', samples: windows.off.map((w) => w.cpu) },
        baselineLabel: 'the call without blur',
        lowerIsBetter: true
      },
      {
        ours: { label: "blur on: Alice's video on Bob's screen", unit: 'fps', samples: windows.on.map(aliceOnBob) },
        baseline: { label: 'blur off', unit: 'fps', samples: windows.off.map(aliceOnBob) },
        baselineLabel: 'the same video without blur',
        lowerIsBetter: false
      }
    ]
    return { scenario: 'background-blur', comparisons, errors }
  }
}
