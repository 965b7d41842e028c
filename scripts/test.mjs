// `npm test`: every step runs even when an earlier one failed (a lint slip must not hide whether
// the end-to-end tests pass), then one summary says what passed, with the test counts, and which
// step failed. Steps that need the build are skipped, and say so, when the build failed.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const summaries = path.join(root, 'test-results', 'summary')

/** name, npm script, whether it needs the build, where its vitest counts go */
const steps = [
  { name: 'node', script: null, command: ['node', 'scripts/check-node.mjs'] },
  { name: 'lint', script: 'lint' },
  { name: 'lint:electron', script: 'lint:electron' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'build', script: 'build' },
  { name: 'unit', script: 'test:unit', counts: true },
  { name: 'end-to-end', script: 'test:e2e', needsBuild: true, counts: true },
  // Real network namespaces with NAT routers: needs root, and says so and skips where it cannot run.
  { name: 'NAT lab', script: 'test:nat', needsBuild: true, counts: true }
]

rmSync(summaries, { recursive: true, force: true })
const results = []
for (const step of steps) {
  const built = results.find((r) => r.name === 'build')
  if (step.needsBuild && built && !built.ok) {
    results.push({ name: step.name, ok: false, detail: 'not run: the build failed' })
    continue
  }
  if (results[0] && !results[0].ok) {
    results.push({ name: step.name, ok: false, detail: 'not run: wrong Node (see above)' })
    continue
  }
  const summary = path.join(summaries, `${step.name}.json`)
  const command = step.command ?? ['npm', 'run', '--silent', step.script]
  console.log(`\n=== npm test: ${step.name} (${command.join(' ')})`)
  const started = Date.now()
  const run = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, DYM_TEST_SUMMARY: summary } })
  const seconds = Math.round((Date.now() - started) / 1000)
  const ok = run.status === 0
  let detail = ok ? 'ok' : run.signal ? `killed by ${run.signal}` : `exit code ${run.status}`
  if (step.counts && existsSync(summary)) {
    const c = JSON.parse(readFileSync(summary, 'utf8'))
    detail = `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${ok ? '' : ` (${detail})`}`
  }
  results.push({ name: step.name, ok, detail: `${detail}, ${seconds} s` })
}

const failed = results.filter((r) => !r.ok)
console.log('\n=== npm test summary')
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(14)} ${r.detail}`)
console.log(failed.length === 0 ? 'npm test: all steps passed' : `npm test: FAILED in ${failed.map((r) => r.name).join(', ')}`)
process.exit(failed.length === 0 ? 0 : 1)
