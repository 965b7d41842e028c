/**
 * The core and the headless host in a process of their own, for memory measurements: started
 * with --expose-gc, it answers the IPC message 'memory' with its memory after a full GC.
 * Prints `READY <port> <token>` once it serves. Started by startFuzzHost (fuzz-host.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startCore } from '../../src/main/core/core'
import { memoryLogger } from '../../src/main/core/log'
import { FfmpegNotFoundError } from '../../src/main/core/recorder/find-ffmpeg'
import { startHeadlessHost } from '../../src/main/host/headless-host'
import { LOOPBACK } from './room-members'

const { values } = parseArgs({ args: process.argv.slice(2), options: { dir: { type: 'string' } }, strict: true })
const dir = values.dir ?? ''
mkdirSync(path.join(dir, 'renderer'), { recursive: true })
writeFileSync(path.join(dir, 'renderer/index.html'), '<html><head><title>fuzz</title></head><body></body></html>')
writeFileSync(path.join(dir, 'bridge.js'), '/* bridge */')
// Nothing leaves the machine: the 3Bot directory and login page are a closed loopback port.
mkdirSync(path.join(dir, 'data'), { recursive: true })
writeFileSync(path.join(dir, 'data/settings.json'), JSON.stringify({ directoryUrl: 'http://127.0.0.1:9', loginUrl: 'http://127.0.0.1:9' }))
const log = memoryLogger()
const core = await startCore({
  dataDir: path.join(dir, 'data'),
  hostKind: 'headless',
  log,
  // No ffmpeg: recording requests are answered at once instead of starting recordings.
  recorder: {
    folder: path.join(dir, 'recordings'),
    findTools: () => Promise.reject(new FfmpegNotFoundError('no ffmpeg in the fuzz host'))
  },
  rooms: { network: LOOPBACK }
})
const host = await startHeadlessHost({ core, rendererDir: path.join(dir, 'renderer'), bridgeFile: path.join(dir, 'bridge.js'), log })
// Only the last lines: a log that grows with every refused request would be the leak we look for.
setInterval(() => log.lines.splice(0, Math.max(0, log.lines.length - 1000)), 1000).unref()

const gc = (globalThis as { gc?: () => void }).gc
process.on('message', (message) => {
  if (message !== 'memory' || !gc) return
  for (let i = 0; i < 4; i++) gc()
  const m = process.memoryUsage()
  process.send?.({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })
})
process.on('SIGTERM', () => void host.close().then(() => core.stop().then(() => process.exit(0))))
process.stdout.write(`READY ${host.port} ${host.token}\n`)
