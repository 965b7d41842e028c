import { spawn } from 'node:child_process'
import os from 'node:os'

export interface JobProgress {
  /** 0..1 of the output's duration written so far */
  fraction: number
  /** as a multiple of real time, as ffmpeg reports it */
  speed: number | null
}

export interface JobEnd {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
}

/** Progress is told at most this often. */
const REPORT_EVERY_MS = 250

/**
 * One ffmpeg run of an export, in the background at low CPU priority (a call running meanwhile
 * keeps its share), with progress read from its `-progress pipe:1` output (`out_time_us`
 * against the known duration). `args` must not name -progress themselves.
 */
export function runFfmpegJob(
  ffmpeg: string,
  args: string[],
  durationSec: number | null,
  onProgress: (p: JobProgress) => void
): { kill: () => void; done: Promise<JobEnd> } {
  const child = spawn(ffmpeg, ['-progress', 'pipe:1', '-nostats', ...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
  child.once('spawn', () => {
    try {
      if (child.pid) os.setPriority(child.pid, 10)
    } catch {
      // not allowed here: export at normal priority
    }
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8192)))
  const progress: JobProgress = { fraction: 0, speed: null }
  let lastSent = 0
  let pending = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    pending += d
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const [key, value = ''] = line.trim().split('=', 2)
      if (key === 'out_time_us' || key === 'out_time_ms') {
        // both are microseconds (out_time_ms is misnamed in ffmpeg)
        const us = Number(value)
        if (durationSec && Number.isFinite(us) && us > 0)
          progress.fraction = Math.max(progress.fraction, Math.min(1, us / 1e6 / durationSec))
      } else if (key === 'speed') {
        const s = parseFloat(value)
        progress.speed = Number.isFinite(s) ? s : null
      } else if (key === 'progress' && value === 'continue' && Date.now() - lastSent >= REPORT_EVERY_MS) {
        lastSent = Date.now()
        onProgress({ ...progress })
      }
    }
  })
  const done = new Promise<JobEnd>((resolve) => {
    child.once('error', (err) => resolve({ code: null, signal: null, stderr: `${stderr}\n${err.message}` }))
    child.once('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  return { kill: () => child.kill('SIGKILL'), done }
}
