import type { Page } from 'playwright-core'
import { expect } from 'vitest'

type Box = { x: number; y: number; width: number; height: number }

/**
 * From now on, note the text of every toast this page shows (toasts go after a few seconds, so
 * a test that asks "was I ever told X?" needs the page to remember), and the largest set shown
 * at once, laid out as it was (a moment after it formed: toasts slide in). Call before the meeting.
 */
export async function watchToasts(page: Page): Promise<void> {
  await page.evaluate(() => {
    type El = {
      matches(s: string): boolean
      textContent: string | null
      className: string
      querySelectorAll(s: string): ArrayLike<El>
      getBoundingClientRect(): { x: number; y: number; width: number; height: number }
    }
    const w = globalThis as unknown as {
      __toasts: string[]
      __toastCrowd: unknown
      document: { body: unknown; querySelectorAll(s: string): ArrayLike<El>; querySelector(s: string): El | null }
      getComputedStyle(el: El): { borderTopColor: string; borderLeftColor: string }
      setTimeout(fn: () => void, ms: number): unknown
      MutationObserver: new (cb: (records: Array<{ addedNodes: ArrayLike<unknown> }>) => void) => { observe(n: unknown, o: object): void }
    }
    const box = (el: El) => {
      const r = el.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height }
    }
    let largest = 0
    const snapshot = () => {
      const shown = Array.from(w.document.querySelectorAll('[data-testid="toast"]'))
      if (shown.length <= largest) return
      largest = shown.length
      const bar = w.document.querySelector('[role="toolbar"][aria-label="Meeting controls"]')
      w.__toastCrowd = {
        bar: bar ? box(bar) : null,
        toasts: shown.map((el) => ({
          text: el.textContent ?? '',
          info: el.className.includes('toast--info'),
          box: box(el),
          borders: [w.getComputedStyle(el).borderTopColor, w.getComputedStyle(el).borderLeftColor]
        }))
      }
    }
    w.__toasts = []
    w.__toastCrowd = { bar: null, toasts: [] }
    new w.MutationObserver((records) => {
      for (const r of records)
        for (const node of Array.from(r.addedNodes)) {
          const el = node as El
          if (typeof el.matches !== 'function') continue
          const found = el.matches('[data-testid="toast"]') ? [el] : Array.from(el.querySelectorAll('[data-testid="toast"]'))
          for (const t of found) w.__toasts.push(t.textContent ?? '')
          if (found.length > 0) w.setTimeout(snapshot, 300)
        }
    }).observe(w.document.body, { subtree: true, childList: true })
  })
}

export async function toastsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __toasts?: string[] }).__toasts ?? [])
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * Once at least `atLeast` toasts have shown at the same time (seen by the page, see
 * watchToasts): none overlapped another or the meeting's controls, there were at most three,
 * and plain information had no red on it.
 */
export async function expectToastsTidy(page: Page, atLeast: number, timeoutMs: number): Promise<void> {
  type Crowd = { bar: Box | null; toasts: Array<{ text: string; info: boolean; box: Box; borders: string[] }> }
  const crowd = () => page.evaluate(() => (globalThis as unknown as { __toastCrowd: unknown }).__toastCrowd) as Promise<Crowd>
  await expect
    .poll(async () => (await crowd()).toasts.length, { timeout: timeoutMs, message: `${atLeast} toasts at once` })
    .toBeGreaterThanOrEqual(atLeast)
  const seen = await crowd()
  const { toasts: shown, bar } = seen
  const described = JSON.stringify(seen)
  expect(shown.length, described).toBeLessThanOrEqual(3)
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) expect(overlaps(shown[i]!.box, shown[j]!.box), `toasts overlap: ${described}`).toBe(false)
    if (bar) expect(overlaps(shown[i]!.box, bar), `a toast covers the controls: ${described}`).toBe(false)
  }
  const red = 'rgb(239, 77, 90)'
  for (const t of shown.filter((x) => x.info)) expect(t.borders, `information drawn like an error: ${described}`).not.toContain(red)
}

/** This page showed a toast with this text (since watchToasts), however briefly. */
export async function expectToastSeen(page: Page, text: string, timeoutMs: number): Promise<void> {
  await expect
    .poll(async () => (await toastsSeen(page)).some((t) => t.includes(text)), { timeout: timeoutMs, message: `a toast "${text}"` })
    .toBe(true)
}
