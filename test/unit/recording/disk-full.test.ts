import { execFile, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const scenario = path.join(here, 'disk-full-scenario.ts')
const viteNode = path.join(root, 'node_modules/vite-node/vite-node.mjs')
const scratch = mkdtempSync(path.join(os.tmpdir(), 'dym-diskfull-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/**
 * How this machine can give the recorder a disk that runs out: a tmpfs in a private mount
 * namespace (`unshare`, as root or with unprivileged user namespaces; nothing is mounted for
 * the rest of the system and it vanishes with the child), else a file-size limit (`prlimit
 * --fsize`), which any Linux user may set. Null (with why) only where neither exists.
 */
function diskFullMethod(): { kind: 'tmpfs' | 'fsize'; wrap: (full: string, ro: string, command: string[]) => string[] } | { skip: string } {
  if (process.platform !== 'linux') return { skip: `no tmpfs or prlimit on ${process.platform}` }
  // DYM_DISK_FULL_METHOD=fsize exercises the fallback on a machine that has both.
  const forced = process.env.DYM_DISK_FULL_METHOD
  const mountScript = 'mount -t tmpfs -o size=2m tmpfs "$1" && mount -t tmpfs -o ro,size=64k tmpfs "$2" && shift 2 && exec "$@"'
  for (const flags of forced === 'fsize' ? [] : [['--user', '--map-root-user', '--mount'], ['--mount']]) {
    const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { stdio: 'ignore' })
    if (probe.status === 0)
      return { kind: 'tmpfs', wrap: (full, ro, command) => ['unshare', ...flags, 'sh', '-c', mountScript, 'sh', full, ro, ...command] }
  }
  if (spawnSync('prlimit', ['--fsize=1024', 'true'], { stdio: 'ignore' }).status === 0) {
    return { kind: 'fsize', wrap: (_full, _ro, command) => ['prlimit', `--fsize=${2 * 1024 * 1024}`, ...command] }
  }
  return { skip: 'neither unshare (mount namespaces) nor prlimit works here' }
}

const method = diskFullMethod()
if ('skip' in method) console.log(`skipped: disk-full test (${method.skip})`)

describe('a recording into a folder that runs out of space', () => {
  it.skipIf('skip' in method)(
    'ends with a clear error and a playable file that is listed; a read-only folder is refused up front',
    async () => {
      if ('skip' in method) return
      const full = path.join(scratch, 'full')
      const ro = path.join(scratch, 'ro')
      mkdirSync(full)
      mkdirSync(ro)
      const command = method.wrap(full, ro, [
        process.execPath,
        viteNode,
        scenario,
        '--',
        '--full',
        full,
        ...(method.kind === 'tmpfs' ? ['--readonly', ro] : [])
      ])
      const { stdout } = await run(command[0] as string, command.slice(1), { cwd: root, maxBuffer: 8 * 1024 * 1024, timeout: 120_000 })
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (!line) throw new Error(`the scenario printed no result:\n${stdout}`)
      const result = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>
      console.log(`disk full via ${method.kind}: ${JSON.stringify({ ...result, entry: undefined })}`)

      expect(result.unexpected).toBeUndefined()
      const expected = method.kind === 'tmpfs' ? /The disk is full/ : /largest size this disk allows/
      expect(result.failedError).toMatch(expected)
      expect(result.failedError).toMatch(/what was recorded until then is saved/)
      expect(result.accepted).toBeLessThan(result.total as number)
      expect(result.playableSeconds).toBeGreaterThan(2)
      expect(result.listed).toEqual([(result.entry as { name: string }).name])
      if (method.kind === 'tmpfs') {
        expect(result.readonlyStart).toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(/Cannot record into .*it is not writable/)
        })
      }
    },
    150_000
  )
})
