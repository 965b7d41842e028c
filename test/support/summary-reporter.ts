import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one plain closing line, "N passed, N failed, N skipped", that CI reads whatever runner
 * it knows, and the names of the skipped tests: a skip is never counted as a pass. With
 * DYM_TEST_SUMMARY set (scripts/test.mjs does) the counts also go to that JSON file, for the
 * summary `npm test` prints at its end.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    const skipped: string[] = []
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped.push(`${path.basename(module.moduleId)} > ${test.fullName}`)
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++
    }
    if (skipped.length > 0) process.stdout.write(`\nskipped (each file prints why above):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`)
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped.length} skipped\n`)
    const out = process.env.DYM_TEST_SUMMARY
    if (out) {
      mkdirSync(path.dirname(out), { recursive: true })
      writeFileSync(out, JSON.stringify({ passed, failed, skipped: skipped.length }))
    }
  }
}
