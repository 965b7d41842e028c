// `npm start`: the Electron app where Electron can run; otherwise the headless host, saying why.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function electronBinary() {
  if (process.env.DYM_HEADLESS === '1') return { why: 'DYM_HEADLESS=1 is set' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { why: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' }
  const pkgDir = path.dirname(require.resolve('electron/package.json'))
  const pathFile = path.join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) {
    // Electron 45 fetches its binary on first use; try once, bounded, and fall back on failure.
    console.log('Fetching the Electron binary (first run)…')
    const fetched = spawnSync(process.execPath, [path.join(pkgDir, 'install.js')], { stdio: 'inherit', timeout: 180_000 })
    if (fetched.status !== 0 || !existsSync(pathFile)) return { why: 'the Electron binary could not be downloaded here' }
  }
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { binary } : { why: `${binary} is missing` }
}

const found = electronBinary()
if (found.binary) {
  const child = spawn(found.binary, [path.join(root, 'out/main/index.js'), ...process.argv.slice(2)], { stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(`Electron cannot run here (${found.why}); starting the headless host instead.`)
  console.log('Open the URL below in Chromium or Chrome. Stop with Ctrl+C.')
  const child = spawn(process.execPath, [path.join(root, 'bin/dym.mjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
