#!/usr/bin/env node
// The `dym` command. libp2p 3 needs Node >= 22: when started by an older Node, run again with
// the Node 22 that the project installs as a dev dependency (the `node` npm package).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  const node22 = path.join(root, 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(node22)) {
    console.error(`dym needs Node 22 or newer (this is ${process.version}); run "npm install" in ${root} first.`)
    process.exit(1)
  }
  const result = spawnSync(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(result.status ?? 1)
}
const entry = path.join(root, 'out', 'cli', 'dym.js')
if (!existsSync(entry)) {
  console.error(`dym is not built yet: run "npm run build" in ${root}.`)
  process.exit(1)
}
await import(pathToFileURL(entry).href)
