import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { REPO_ROOT } from './host-process'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeFinding {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * Run axe-core in the page. The app's CSP forbids inline scripts, so axe is evaluated through
 * the DevTools protocol (page.evaluate), which the page's CSP does not govern.
 */
export async function axeScan(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE)
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown
          ) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>
        }
      }
    ).axe
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' '))
    }))
  })
}

/** The findings a user with assistive tech would be blocked by. */
export function seriousFindings(findings: AxeFinding[]): AxeFinding[] {
  return findings.filter((f) => f.impact === 'serious' || f.impact === 'critical')
}

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'screenshots')

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  const file = path.join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}
