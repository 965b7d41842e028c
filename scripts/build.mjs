// Builds every part into out/: main (Electron), preload, the dym CLI, the WebSocket bridge
// and the renderer. esbuild bundles the Node/Electron side (dependencies stay external);
// Vite builds the React renderer.
import { build as esbuild } from 'esbuild'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build as viteBuild } from 'vite'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const out = path.join(root, 'out')
const define = { __DYM_VERSION__: JSON.stringify(pkg.version) }

rmSync(out, { recursive: true, force: true })
const started = Date.now()

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  define,
  logLevel: 'warning'
}
await Promise.all([
  esbuild({ ...node, entryPoints: [path.join(root, 'src/main/index.ts')], outfile: path.join(out, 'main/index.js') }),
  esbuild({ ...node, entryPoints: [path.join(root, 'src/main/cli/dym.ts')], outfile: path.join(out, 'cli/dym.js') }),
  // A sandboxed preload cannot load modules: one CommonJS file, only `electron` left external.
  esbuild({
    ...node,
    packages: undefined,
    format: 'cjs',
    external: ['electron'],
    entryPoints: [path.join(root, 'src/preload/index.ts')],
    outfile: path.join(out, 'preload/index.cjs')
  }),
  esbuild({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    minify: true,
    sourcemap: true,
    define,
    logLevel: 'warning',
    entryPoints: [path.join(root, 'src/preload/ws-bridge.ts')],
    outfile: path.join(out, 'bridge/ws-bridge.js')
  })
])
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' })
console.log(`built out/ (main, preload, cli, bridge, renderer) in ${Date.now() - started} ms`)
