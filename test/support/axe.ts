import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/**
 * axe-core's serious and critical findings for the page as it is now, one line each with what
 * axe says about the first offending node. `page.evaluate` is not bound by the page's CSP,
 * so axe runs under the app's strict policy unchanged.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    type Node = { target: unknown; any?: Array<{ message: string }> }
    type Result = { violations: Array<{ id: string; impact: string; nodes: Node[] }> }
    const g = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<Result> }; document: unknown }
    const result = await g.axe.run(g.document, { resultTypes: ['violations'] })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} x${v.nodes.length}: ${v.nodes[0]?.any?.[0]?.message ?? JSON.stringify(v.nodes[0]?.target)}`)
  })
}
