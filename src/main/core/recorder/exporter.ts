import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { copyFile, constants, link, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DymError } from '../../../shared/contract/errors'
import type { ExportProgress } from '../../../shared/contract/recording'
import type { Logger } from '../log'
import type { FfmpegTools } from './find-ffmpeg'
import { lastErrorLine } from './run-tool'

export const MAX_CONCURRENT_EXPORTS = 2

interface Job {
  kill: () => void
  cancelled: boolean
}

/**
 * "Export MP4": re-encodes a recording to H.264/AAC next to it, in the background, at low CPU
 * priority so a call running meanwhile keeps its share. Progress comes from ffmpeg's
 * `-progress` output (`out_time_us` against the known duration) and is reported at most four
 * times a second. The MP4 appears under its final name only when complete.
 */
export class Exporter {
  private readonly jobs = new Map<string, Job>()

  constructor(
    private readonly report: (progress: ExportProgress) => void,
    private readonly log: Logger
  ) {}

  get running(): number {
    return this.jobs.size
  }

  start(tools: FfmpegTools, source: string, name: string, durationSec: number | null): string {
    if (!tools.canExport)
      throw new DymError(
        'unavailable',
        `This ffmpeg (${tools.source}, ${tools.version}) cannot encode H.264/AAC; install a full ffmpeg to export MP4.`
      )
    if (this.jobs.size >= MAX_CONCURRENT_EXPORTS)
      throw new DymError('conflict', `${MAX_CONCURRENT_EXPORTS} exports are already running; wait for one to finish`)
    const exportId = randomUUID()
    const dir = path.dirname(source)
    const base = path.basename(source, path.extname(source))
    const temp = path.join(dir, `.${base}.${exportId.slice(0, 8)}.mp4.part`)
    const args = [
      '-hide_banner',
      '-nostdin',
      '-loglevel',
      'error',
      '-i',
      source,
      '-map',
      '0:v:0?',
      '-map',
      '0:a:0?',
      // yuv420p and even sizes: what every player and phone accepts
      '-vf',
      'scale=trunc(iw/2)*2:trunc(ih/2)*2',
      // Keep each frame's own time. Recordings are variable frame rate (the compositor draws when
      // it can) in a 1/1000 time base, which ffmpeg reads as 1000 fps: MP4's default constant
      // rate then encoded ~1000 copies a second (a 10 s export took 35 s instead of 2).
      // -vsync, not -fps_mode: the bundled fallback ffmpeg is 4.1.
      '-vsync',
      'vfr',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-crf',
      '22',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '160k',
      '-map_metadata',
      '0',
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      '-nostats',
      '-f',
      'mp4',
      '-y',
      temp
    ]
    const child = spawn(tools.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true })
    const job: Job = { kill: () => child.kill('SIGKILL'), cancelled: false }
    this.jobs.set(exportId, job)
    child.once('spawn', () => {
      try {
        if (child.pid) os.setPriority(child.pid, 10)
      } catch {
        // not allowed here: export at normal priority
      }
    })

    let stderr = ''
    let lastSent = 0
    let fraction = 0
    let speed: number | null = null
    const send = (progress: Omit<ExportProgress, 'exportId' | 'name'>) => this.report({ exportId, name, ...progress })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8192)))
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
          if (durationSec && Number.isFinite(us) && us > 0) fraction = Math.min(1, us / 1e6 / durationSec)
        } else if (key === 'speed') {
          const s = parseFloat(value)
          speed = Number.isFinite(s) ? s : null
        } else if (key === 'progress' && value === 'continue') {
          const now = Date.now()
          if (now - lastSent >= 250) {
            lastSent = now
            send({ state: 'running', fraction, speed })
          }
        }
      }
    })

    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      this.jobs.delete(exportId)
      if (job.cancelled) {
        await rm(temp, { force: true })
        send({ state: 'cancelled', fraction, speed })
        return
      }
      if (code !== 0) {
        await rm(temp, { force: true })
        const reason = /No space left/i.test(stderr) ? 'the disk is full' : lastErrorLine(stderr) || `ffmpeg exited with ${code ?? signal}`
        this.log.warn(`export of ${name} failed: ${reason}`)
        send({ state: 'failed', fraction, speed, error: `Export failed: ${reason}` })
        return
      }
      try {
        const output = await placeWithoutOverwrite(temp, dir, base, '.mp4')
        send({ state: 'done', fraction: 1, speed, output })
      } catch (err) {
        await rm(temp, { force: true })
        send({ state: 'failed', fraction, speed, error: `Export failed: ${err instanceof Error ? err.message : String(err)}` })
      }
    }
    child.once('close', (code, signal) => void finish(code, signal))
    child.once('error', (err) => {
      this.log.warn(`export of ${name} could not start`, err)
    })
    send({ state: 'running', fraction: 0, speed: null })
    return exportId
  }

  cancel(exportId: string): void {
    const job = this.jobs.get(exportId)
    if (!job) throw new DymError('not-found', 'No such export is running')
    job.cancelled = true
    job.kill()
  }

  cancelAll(): void {
    for (const id of [...this.jobs.keys()]) this.cancel(id)
  }
}

/**
 * Gives `temp` its final name `<base>.mp4`, or `<base> (2).mp4`… when taken. A hard link fails
 * when the name exists, so nothing is ever overwritten, even by a file that appeared meanwhile.
 */
export async function placeWithoutOverwrite(temp: string, dir: string, base: string, ext: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const name = n === 1 ? `${base}${ext}` : `${base} (${n})${ext}`
    const target = path.join(dir, name)
    try {
      await link(temp, target)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err
      // File systems without hard links (FAT, exFAT): an exclusive copy instead.
      try {
        await copyFile(temp, target, constants.COPYFILE_EXCL)
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') continue
        throw copyErr
      }
    }
    await rm(temp, { force: true })
    return name
  }
  throw new Error(`no free name for ${base}${ext}`)
}
