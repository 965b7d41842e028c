import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { unpackedPath } from '../unpacked-path'
import { runTool } from './run-tool'

/** The ffmpeg (and ffprobe, when there is one) the recorder uses, and what it can do. */
export interface FfmpegTools {
  ffmpeg: string
  /** null: probe with `ffmpeg -i` instead (the @ffmpeg-installer package ships no ffprobe) */
  ffprobe: string | null
  version: string
  /** setting, DYM_FFMPEG, ffmpeg-static, @ffmpeg-installer/ffmpeg or PATH */
  source: string
  /** H.264 + AAC encoders present, so "Export MP4" works */
  canExport: boolean
}

export interface FindFfmpegOptions {
  /** the user's setting; like DYM_FFMPEG it is taken as given: if it does not work, that is the error */
  setting?: string | null
  env?: NodeJS.ProcessEnv
  /** where the npm packages are resolved from (tests point it elsewhere to hide them) */
  resolveFrom?: string
}

export class FfmpegNotFoundError extends Error {
  override readonly name = 'FfmpegNotFoundError'
}

/** What to tell someone who has no usable ffmpeg, per OS. */
export function installAdvice(platform: NodeJS.Platform = process.platform): string {
  const how =
    platform === 'darwin'
      ? 'install it with Homebrew (`brew install ffmpeg`)'
      : platform === 'win32'
        ? 'install it (`winget install Gyan.FFmpeg`) and restart the app'
        : 'install it with your package manager (`sudo apt-get install ffmpeg` on Debian/Ubuntu, `sudo dnf install ffmpeg` on Fedora)'
  return `Recording needs ffmpeg, and none was found. To record, ${how}, or set DYM_FFMPEG to the path of an ffmpeg binary.`
}

interface Candidate {
  source: string
  bin: string
}

interface Checked {
  candidate: Candidate
  version: string
  canRecord: boolean
  canExport: boolean
  problem?: string
}

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name)

/**
 * Finds an ffmpeg that can record: the setting, else DYM_FFMPEG, else ffmpeg-static (when its
 * install-time download worked), else @ffmpeg-installer/ffmpeg, else `ffmpeg` on PATH. Every
 * candidate is run once to check it works and has the Matroska demuxer/muxer we need (and
 * H.264/AAC for export). Throws FfmpegNotFoundError, naming what to install, when none does.
 */
export async function findFfmpeg(options: FindFfmpegOptions = {}): Promise<FfmpegTools> {
  const env = options.env ?? process.env
  // An explicit choice is not second-guessed: if it does not work, that is the error.
  const chosen = options.setting
    ? { source: 'setting', bin: options.setting }
    : env.DYM_FFMPEG
      ? { source: 'DYM_FFMPEG', bin: env.DYM_FFMPEG }
      : null
  if (chosen) {
    const checked = await check(chosen)
    if (!checked.canRecord)
      throw new FfmpegNotFoundError(
        `${chosen.source} points to ${chosen.bin}, which cannot record: ${checked.problem ?? 'unknown problem'}`
      )
    return toTools(checked, env)
  }

  const require = createRequire(options.resolveFrom ?? import.meta.url)
  const staticBin = packagedBinary(() => require('ffmpeg-static') as unknown)
  const installerBin = packagedBinary(() => (require('@ffmpeg-installer/ffmpeg') as { path?: unknown }).path)
  const onPath = findOnPath(exe('ffmpeg'), env)

  const tried: Checked[] = []
  const tryOne = async (candidate: Candidate | null): Promise<Checked | null> => {
    if (!candidate) return null
    const checked = await check(candidate)
    tried.push(checked)
    return checked.canRecord ? checked : null
  }

  const fromStatic = await tryOne(staticBin ? { source: 'ffmpeg-static', bin: staticBin } : null)
  if (fromStatic) return toTools(fromStatic, env)

  // @ffmpeg-installer/ffmpeg ships a static ffmpeg 4.1 from 2018 and no ffprobe. It records and
  // exports fine, but a system ffmpeg gets security fixes (the thumbnailer and the probe read
  // whatever files sit in the recordings folder) and comes with ffprobe. So when PATH has a
  // capable ffmpeg, it wins over the bundled one; the bundled one is the fallback that makes the
  // packaged app work on machines without ffmpeg.
  const [fromInstaller, fromPath] = await Promise.all([
    tryOne(installerBin ? { source: '@ffmpeg-installer/ffmpeg', bin: installerBin } : null),
    tryOne(onPath ? { source: 'PATH', bin: onPath } : null)
  ])
  if (fromPath && (fromPath.canExport || !fromInstaller?.canExport)) return toTools(fromPath, env)
  if (fromInstaller) return toTools(fromInstaller, env)

  const reasons = tried.map((t) => `${t.candidate.source} (${t.candidate.bin}): ${t.problem ?? 'unusable'}`)
  throw new FfmpegNotFoundError(installAdvice() + (reasons.length > 0 ? ` Tried: ${reasons.join('; ')}.` : ''))
}

/** A binary inside an npm package: its path if the file is really there (and outside the asar). */
function packagedBinary(resolve: () => unknown): string | null {
  let found: unknown
  try {
    found = resolve()
  } catch {
    return null // not installed (ffmpeg-static's optional install failed, or no binary for this platform)
  }
  if (typeof found !== 'string' || found.length === 0) return null
  const unpacked = unpackedPath(found)
  return isExecutableFile(unpacked) ? unpacked : null
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue
    const file = path.join(dir, name)
    if (isExecutableFile(file)) return file
  }
  return null
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    if (process.platform !== 'win32') accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Runs the candidate: does it start, and which formats and encoders does it have? */
async function check(candidate: Candidate): Promise<Checked> {
  const fail = (problem: string): Checked => ({ candidate, version: '', canRecord: false, canExport: false, problem })
  if (!isExecutableFile(candidate.bin)) return fail('not an executable file')
  try {
    const [version, formats, encoders] = await Promise.all([
      runTool(candidate.bin, ['-hide_banner', '-version'], { timeoutMs: 10_000 }),
      runTool(candidate.bin, ['-hide_banner', '-formats'], { timeoutMs: 10_000 }),
      runTool(candidate.bin, ['-hide_banner', '-encoders'], { timeoutMs: 10_000 })
    ])
    if (version.code !== 0) return fail(`does not run (exit ${version.code ?? version.signal})`)
    const versionText = /ffmpeg version (\S+)/.exec(version.stdout)?.[1] ?? 'unknown'
    const hasFormat = (flags: 'D' | 'E', name: string) =>
      formats.stdout.split('\n').some((line) => {
        const m = /^ ([D ])([E ])\S? (\S+)/.exec(line)
        return !!m && (flags === 'D' ? m[1] === 'D' : m[2] === 'E') && (m[3] ?? '').split(',').includes(name)
      })
    const hasEncoder = (name: string) => new RegExp(`^ \\S{6} ${name}\\s`, 'm').test(encoders.stdout)
    const missing = [!hasFormat('D', 'webm') && 'the WebM demuxer', !hasFormat('E', 'matroska') && 'the Matroska muxer'].filter(
      (m): m is string => typeof m === 'string'
    )
    const canExport = hasEncoder('libx264') && hasEncoder('aac') && hasFormat('E', 'mp4')
    if (missing.length > 0)
      return { candidate, version: versionText, canRecord: false, canExport, problem: `lacks ${missing.join(' and ')}` }
    return { candidate, version: versionText, canRecord: true, canExport }
  } catch (err) {
    return fail(`cannot be started: ${err instanceof Error ? err.message : String(err)}`)
  }
}

function toTools(checked: Checked, env: NodeJS.ProcessEnv): FfmpegTools {
  const besides = path.join(path.dirname(checked.candidate.bin), exe('ffprobe'))
  const ffprobe = existsSync(besides) && isExecutableFile(besides) ? besides : findOnPath(exe('ffprobe'), env)
  return {
    ffmpeg: checked.candidate.bin,
    ffprobe,
    version: checked.version,
    source: checked.candidate.source,
    canExport: checked.canExport
  }
}
