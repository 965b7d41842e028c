import { randomBytes } from 'node:crypto'
import { mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'

// Folders of the operating system and its programs. Running as an administrator could write
// there, which makes "is it writable" no answer to "is it a place for recordings".
const POSIX_SYSTEM = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var/cache',
  '/var/lib',
  '/var/log',
  '/var/run',
  '/var/spool',
  '/Applications',
  '/Library',
  '/System',
  '/private/etc',
  '/private/var/db'
]
const WINDOWS_SYSTEM = /^[a-z]:\\(windows|program files|program files \(x86\)|programdata)(\\|$)/i
const WINDOWS_PATH = /^([a-z]:[\\/]|\\\\)/i

const inside = (dir: string, parent: string) => dir === parent || dir.startsWith(parent + '/')

/** The path with its existing part resolved through links, so a link into /etc counts as /etc. */
async function realPathOf(dir: string): Promise<string> {
  let existing = dir
  const rest: string[] = []
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest.reverse())
    } catch {
      const parent = path.dirname(existing)
      if (parent === existing) return dir
      rest.push(path.basename(existing))
      existing = parent
    }
  }
}

/** Why a folder is the operating system's, or null. */
function systemFolder(dir: string, platform: NodeJS.Platform): string | null {
  if (platform === 'win32') {
    const normal = path.win32.normalize(dir)
    if (WINDOWS_SYSTEM.test(normal)) return 'is a folder of Windows or its programs'
    if (path.win32.parse(normal).root === normal) return 'is the top of a drive'
    return null
  }
  if (dir === '/') return 'is the top of the file system'
  return POSIX_SYSTEM.some((system) => inside(dir, system)) ? 'is a folder of the operating system' : null
}

/**
 * A folder the user chose for the app to write into (recordings, downloads): an absolute path
 * on this computer, not the system's, and a folder we can write in (made if it does not exist
 * yet). Throws DymError('bad-request') saying what is wrong, in words for the settings screen.
 */
export async function checkChosenFolder(
  dir: string,
  options: { label?: string; example?: string; platform?: NodeJS.Platform } = {}
): Promise<void> {
  const platform = options.platform ?? process.platform
  const refuse = (why: string): never => {
    throw new DymError(
      'bad-request',
      `${options.label ?? 'The folder'} ${dir} ${why}: choose a folder of your own, such as one in ${options.example ?? 'your Videos folder'}.`
    )
  }
  const native = platform === 'win32' ? path.win32 : path.posix
  if (!native.isAbsolute(dir) || (platform !== 'win32' && WINDOWS_PATH.test(dir)))
    refuse(platform === 'win32' ? 'is not a full path' : 'is not a full path on this computer')
  const problem =
    systemFolder(native.normalize(dir), platform) ?? (platform === 'win32' ? null : systemFolder(await realPathOf(dir), platform))
  if (problem) refuse(problem)
  try {
    const info = await stat(dir)
    if (!info.isDirectory()) refuse('is a file, not a folder')
  } catch (err) {
    if (err instanceof DymError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOTDIR') refuse('cannot be made: part of its path is a file')
    if (code !== 'ENOENT') refuse(`cannot be read (${code ?? 'error'})`)
  }
  const probe = path.join(dir, `.dym-check-${randomBytes(4).toString('hex')}`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(probe, '')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    refuse(
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'cannot be made: part of its path is a file'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'cannot be written to'
          : `cannot be used (${code ?? 'error'})`
    )
  } finally {
    await rm(probe, { force: true })
  }
}
