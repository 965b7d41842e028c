import type { Page } from 'playwright-core'
import { expect } from 'vitest'

type Box = { x: number; y: number; width: number; height: number }

/**
 * From now on, note the text of every toast this page shows (toasts go after a few seconds, so
 * a test that asks "was I ever told X?" needs the page to remember). Call before the meeting.
 */
export async function watchToasts(page: Page): Promise<void> {
  await page.evaluate(() => {
    type El = { matches(s: string): boolean; textContent: string | null; querySelectorAll(s: string): ArrayLike<El> }
    const w = globalThis as unknown as {
      __toasts: string[]
      document: { body: unknown }
      MutationObserver: new (cb: (records: Array<{ addedNodes: ArrayLike<unknown> }>) => void) => { observe(n: unknown, o: object): void }
    }
    w.__toasts = []
    new w.MutationObserver((records) => {
      for (const r of records)
        for (const node of Array.from(r.addedNodes)) {
          const el = node as El
          if (typeof el.matches !== 'function') continue
          const found = el.matches('[data-testid="toast"]') ? [el] : Array.from(el.querySelectorAll('[data-testid="toast"]'))
          for (const t of found) w.__toasts.push(t.textContent ?? '')
        }
    }).observe(w.document.body, { subtree: true, childList: true })
  })
}

export async function toastsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { __toasts?: string[] }).__toasts ?? [])
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * Once at least `atLeast` toasts show at the same time: none overlaps another or the meeting's
 * controls, there are at most three, and plain information has no red on it.
 */
export async function expectToastsTidy(page: Page, atLeast: number, timeoutMs: number): Promise<void> {
  const toasts = page.getByTestId('toast')
  await expect.poll(() => toasts.count(), { timeout: timeoutMs, message: `${atLeast} toasts at once` }).toBeGreaterThanOrEqual(atLeast)
  const seen = await page.evaluate(() => {
    type El = {
      getBoundingClientRect(): { x: number; y: number; width: number; height: number }
      className: string
      textContent: string | null
    }
    const w = globalThis as unknown as {
      document: { querySelectorAll(s: string): ArrayLike<El>; querySelector(s: string): El | null }
      getComputedStyle(el: El): { borderTopColor: string; borderLeftColor: string }
    }
    const box = (el: El) => {
      const r = el.getBoundingClientRect()
      return { x: r.x, y: r.y, width: r.width, height: r.height }
    }
    const bar = w.document.querySelector('[role="toolbar"][aria-label="Meeting controls"]')
    return {
      bar: bar ? box(bar) : null,
      toasts: Array.from(w.document.querySelectorAll('[data-testid="toast"]')).map((el) => ({
        text: el.textContent ?? '',
        info: el.className.includes('toast--info'),
        box: box(el),
        borders: [w.getComputedStyle(el).borderTopColor, w.getComputedStyle(el).borderLeftColor]
      }))
    }
  })
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
