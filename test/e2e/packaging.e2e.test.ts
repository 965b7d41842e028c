import * as asar from '@electron/asar'
import { spawn } from 'node:child_process'
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir, REPO_ROOT } from '../support/host-process'

/**
 * The packaging config (electron-builder.yml) checked offline: `electron-builder --linux --dir`
 * against a STAND-IN Electron folder, not a real Electron. It cannot tell whether the app
 * starts (no binary here); it checks what the installers would contain: main, preload and
 * renderer in app.asar, ffmpeg and every `.node` file unpacked, and the fuses flipped.
 *
 * The stand-in is what electron-builder copies for an "unpacked Electron distribution"
 * (electronDist = a folder): an `electron` executable (a shell script here) that carries
 * @electron/fuses' sentinel and an 8-fuse wire, all fuses on, so the real fuse-flipping code
 * runs and its result can be read back; `resources/`, `locales/` and `version`, like a real
 * Electron zip. No download is needed; to prove it, the build runs with HTTP(S)_PROXY pointing
 * at a closed port and its own empty electron-builder cache.
 *
 * The project is staged in a temp dir (package.json, electron-builder.yml, build/, out/, and
 * node_modules linked) and electron-builder walks node_modules itself (its "traversal"
 * collector) instead of asking `npm ls`: npm answers `npm ls` from a hidden lockfile that any
 * write into node_modules (Vite's cache) makes stale, and where node_modules is a link to
 * another checkout's (our worktrees) it then reports most dependencies missing. `npm run dist`
 * keeps npm's collector, and `allowMissingDependencies: false` makes it fail loudly instead.
 */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges'
]
const electronVersion = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }
).version

const skip = process.platform !== 'linux' ? `the stand-in Electron folder has the Linux layout (this is ${process.platform})` : null
if (skip) console.log(`skipped: packaging check (${skip})`)

let work = ''
let unpacked = ''
let buildLog = ''

function makeStandInElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true })
  mkdirSync(path.join(dir, 'locales'), { recursive: true })
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '')
  writeFileSync(path.join(dir, 'version'), electronVersion)
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in')
  const wire = Buffer.from([1, FUSES.length, ...FUSES.map(() => '1'.charCodeAt(0))])
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron: not runnable"\nexit 1\n# '),
    Buffer.from(FUSE_SENTINEL),
    wire,
    Buffer.from('\n')
  ])
  writeFileSync(path.join(dir, 'electron'), script, { mode: 0o755 })
}

function run(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

function readFuses(executable: string): Record<string, string> {
  const bytes = readFileSync(executable)
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length
  const length = bytes[at + 1] ?? 0
  return Object.fromEntries(FUSES.slice(0, length).map((name, i) => [name, String.fromCharCode(bytes[at + 2 + i] ?? 0)]))
}

function stageProject(dir: string): void {
  mkdirSync(dir, { recursive: true })
  for (const part of ['package.json', 'electron-builder.yml', 'build', 'out'])
    cpSync(path.join(REPO_ROOT, part), path.join(dir, part), { recursive: true })
  symlinkSync(realpathSync(path.join(REPO_ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir')
}

beforeAll(async () => {
  if (skip) return
  work = makeTempDir('dym-pack-')
  makeStandInElectron(path.join(work, 'electron-dist'))
  const project = path.join(work, 'project')
  stageProject(project)
  const offline = 'http://127.0.0.1:9'
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HTTPS_PROXY: offline,
    HTTP_PROXY: offline,
    https_proxy: offline,
    http_proxy: offline,
    NO_PROXY: '',
    ELECTRON_BUILDER_CACHE: path.join(work, 'cache'),
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    // No lockfile in the staged project: electron-builder picks its collector from this.
    npm_config_user_agent: 'traversal'
  }
  // electron-builder goes quiet when it sees VITEST; we want its log.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key]
  const result = await run(
    project,
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules/electron-builder/cli.js'),
      '--linux',
      '--dir',
      '--publish',
      'never',
      `-c.electronDist=${path.join(work, 'electron-dist')}`,
      `-c.directories.output=${path.join(work, 'dist')}`
    ],
    env,
    240_000
  )
  buildLog = result.output
  if (result.code !== 0) throw new Error(`electron-builder failed (${result.code}):\n${buildLog.slice(-4000)}`)
  unpacked = path.join(work, 'dist', 'linux-unpacked')
}, 300_000)

afterAll(() => {
  if (work) removeDir(work)
})

describe.skipIf(skip !== null)('installers: electron-builder --dir against a stand-in Electron folder (no downloads)', () => {
  it('app.asar holds main, preload, renderer and the runtime dependencies, nothing of the dev side', () => {
    const archive = path.join(unpacked, 'resources', 'app.asar')
    const files = new Set(asar.listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/')))
    for (const part of [
      '/package.json',
      '/out/main/index.js',
      '/out/preload/index.cjs',
      '/out/renderer/index.html',
      '/out/cli/dym.js',
      '/node_modules/libp2p/package.json',
      '/node_modules/zod/package.json'
    ]) {
      expect(files.has(part), `${part} in app.asar`).toBe(true)
    }
    expect([...files].some((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js'))).toBe(true)
    // The very bundle we built, and the manifest pointing at it.
    expect(asar.extractFile(archive, 'out/main/index.js').toString()).toBe(readFileSync(path.join(REPO_ROOT, 'out/main/index.js'), 'utf8'))
    expect(JSON.parse(asar.extractFile(archive, 'package.json').toString())).toMatchObject({
      main: 'out/main/index.js',
      productName: 'Digital You Meet'
    })
    // Left out: source maps, the renderer's React (bundled by Vite), dev dependencies.
    for (const absent of [
      '/node_modules/react-dom',
      '/node_modules/node-datachannel',
      '/node_modules/electron',
      '/node_modules/vitest',
      '/node_modules/electron-builder',
      '/src'
    ]) {
      expect(
        [...files].some((f) => f === absent || f.startsWith(`${absent}/`)),
        `${absent} not in app.asar`
      ).toBe(false)
    }
    expect([...files].filter((f) => f.endsWith('.map'))).toEqual([])
  })

  it('the ffmpeg binary and any .node file are unpacked next to the archive; node-datachannel is not shipped', () => {
    const archive = path.join(unpacked, 'resources', 'app.asar')
    const outside = path.join(unpacked, 'resources', 'app.asar.unpacked')
    const ffmpeg = ['node_modules/@ffmpeg-installer/linux-x64/ffmpeg', 'node_modules/ffmpeg-static/ffmpeg']
      .map((p) => path.join(outside, p))
      .find((p) => existsSync(p))
    expect(ffmpeg, 'an ffmpeg binary in app.asar.unpacked').toBeDefined()
    accessSync(ffmpeg!, constants.X_OK)
    // The app ships no native module of its own now (the core has no libp2p WebRTC); any that a
    // production dependency brings must still run from outside the archive.
    const nodeFiles = asar.listPackage(archive, { isPack: false }).filter((f) => f.endsWith('.node'))
    for (const file of nodeFiles) {
      const relative = file.replace(/^[\\/]/, '')
      expect((asar.statFile(archive, relative) as { unpacked?: boolean }).unpacked, `${relative} is unpacked`).toBe(true)
      expect(existsSync(path.join(outside, relative)), `${relative} exists on disk`).toBe(true)
    }
    // node-datachannel is a dev dependency (a test's WebRTC client): it must not ship.
    expect(nodeFiles.filter((f) => f.includes('datachannel'))).toEqual([])
  })

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; asar integrity and asar-only loading on', () => {
    const executable = path.join(unpacked, 'digital-you-meet')
    expect(existsSync(executable)).toBe(true)
    expect(readFuses(executable)).toEqual({
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '1',
      GrantFileProtocolExtraPrivileges: '0'
    })
  })

  it('needed no download and found every production dependency', () => {
    expect(buildLog).toContain('using custom unpacked Electron distribution')
    expect(buildLog).not.toContain('cannot find path for dependency')
    expect(buildLog).not.toMatch(/downloading|downloaded/i)
  })
})
