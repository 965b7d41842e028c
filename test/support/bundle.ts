import path from 'node:path'
import { build } from 'esbuild'
import { REPO_ROOT } from './host-process'

const bundles = new Map<string, Promise<string>>()

/**
 * A TypeScript entry bundled once per test process into out/test-support/ (dependencies stay
 * in node_modules, so they resolve from there). Starting it is then a plain `node file.mjs`:
 * seconds faster than vite-node on a busy machine, and no `npm run build` needed first.
 */
export function bundleForTest(entry: string): Promise<string> {
  let bundled = bundles.get(entry)
  if (!bundled) {
    const name = path.basename(entry).replace(/\.ts$/, '')
    const outfile = path.join(REPO_ROOT, 'out', 'test-support', `${name}-${process.pid}.mjs`)
    bundled = build({
      entryPoints: [path.join(REPO_ROOT, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      packages: 'external',
      define: { __DYM_VERSION__: JSON.stringify('0.0.0-test') },
      logLevel: 'warning'
    }).then(() => outfile)
    bundles.set(entry, bundled)
  }
  return bundled
}
