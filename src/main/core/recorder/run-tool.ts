import { rename, rm, stat } from 'node:fs/promises'
import { spawn } from 'node:child_process'

export interface ToolResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunToolOptions {
  timeoutMs?: number
  /** keep at most this many characters of each stream (the tail for stderr) */
  maxOutput?: number
  signal?: AbortSignal
}

/**
 * Runs ffmpeg/ffprobe to completion and collects its output, bounded: a tool that hangs is
 * killed after `timeoutMs`, and a chatty one cannot fill memory. Never rejects for a non-zero
 * exit (callers decide); rejects only when the binary cannot be started at all.
 */
export function runTool(bin: string, args: string[], options: RunToolOptions = {}): Promise<ToolResult> {
  const max = options.maxOutput ?? 1024 * 1024
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, signal: options.signal })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < max) stdout += d.slice(0, max - stdout.length)
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-max)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.once('error', (err) => {
      clearTimeout(timer)
      // An abort is a result (the caller asked for it), not a failure to start.
      if ((err as NodeJS.ErrnoException).code === 'ABORT_ERR') return
      reject(err)
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** The last meaningful line ffmpeg wrote, for an error message a person can read. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !/^(frame=|size=|Press \[q\])/.test(l))
  return (lines.at(-1) ?? '').slice(0, 300)
}

/**
 * Runs ffmpeg writing a new file to `temp` (the last argument of `args`), and puts it in place of
 * `target` only when ffmpeg succeeded and wrote something; on any failure (a full disk, say) the
 * temp file goes and `target` stays as it was.
 */
export async function ffmpegIntoPlace(
  ffmpeg: string,
  args: string[],
  temp: string,
  target: string,
  timeoutMs = 30 * 60_000
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const result = await runTool(ffmpeg, args, { timeoutMs })
    const size = await stat(temp).then(
      (s) => s.size,
      () => 0
    )
    if (result.code !== 0 || size === 0) {
      await rm(temp, { force: true })
      return { ok: false, reason: lastErrorLine(result.stderr) || `ffmpeg exited with ${result.code ?? result.signal}` }
    }
    await rename(temp, target)
    return { ok: true }
  } catch (err) {
    await rm(temp, { force: true })
    return { ok: false, reason: err instanceof Error ? err.message : String(err) }
  }
}
