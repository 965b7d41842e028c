import { randomUUID } from 'node:crypto'
import { copyFile, constants, link, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DymError } from '../../../../shared/contract/errors'
import type { ExportKind, ExportProgress } from '../../../../shared/contract/recording'
import type { Logger } from '../../log'
import type { FfmpegTools } from '../find-ffmpeg'
import type { ProbeStream } from '../probe'
import { lastErrorLine } from '../run-tool'
import { planComposedExport } from './composed-export'
import type { ExportPlan, ExportSource } from './export-plan'
import { runFfmpegJob } from './ffmpeg-job'
import { planPeopleExport } from './people-export'

export const MAX_CONCURRENT_EXPORTS = 2

export interface ExportRequest {
  kind: ExportKind
  /** the recording's path, and its name as the list shows it */
  file: string
  name: string
  durationSec: number | null
  streams: readonly ProbeStream[]
}

interface Job {
  kill: () => void
  cancelled: boolean
}

type Report = Omit<ExportProgress, 'exportId' | 'name' | 'kind'>

/**
 * The exports of recordings, in the background: "Export MP4" (composed-export.ts) and "Export
 * each person" (people-export.ts). Each is planned, run as one ffmpeg at low priority with its
 * progress told (ffmpeg-job.ts), and its files appear under their final names only when
 * complete (never over an existing file).
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

  start(tools: FfmpegTools, req: ExportRequest): string {
    if (req.kind === 'composed' && !tools.canExport)
      throw new DymError(
        'unavailable',
        `This ffmpeg (${tools.source}, ${tools.version}) cannot encode H.264/AAC; install a full ffmpeg to export MP4.`
      )
    if (this.jobs.size >= MAX_CONCURRENT_EXPORTS)
      throw new DymError('conflict', `${MAX_CONCURRENT_EXPORTS} exports are already running; wait for one to finish`)
    const exportId = randomUUID()
    const job: Job = { kill: () => undefined, cancelled: false }
    this.jobs.set(exportId, job)
    const send = (progress: Report) => this.report({ exportId, name: req.name, kind: req.kind, ...progress })
    send({ state: 'running', fraction: 0, speed: null })
    void this.run(tools, req, job, send).finally(() => this.jobs.delete(exportId))
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

  /** Plan, run, place: each end (done, failed, cancelled) told once, and no temporary file left. */
  private async run(tools: FfmpegTools, req: ExportRequest, job: Job, send: (p: Report) => void): Promise<void> {
    const tempDir = await mkdtemp(path.join(os.tmpdir(), 'dym-export-'))
    const src: ExportSource = {
      file: req.file,
      dir: path.dirname(req.file),
      base: path.basename(req.file, path.extname(req.file)),
      tag: randomUUID().slice(0, 8),
      tempDir
    }
    let plan: ExportPlan | null = null
    let last: Report = { state: 'running', fraction: 0, speed: null }
    try {
      plan =
        req.kind === 'people'
          ? await planPeopleExport(tools, src, req.streams)
          : await planComposedExport(tools, src, req.streams, req.durationSec, (line) => this.log.warn(line))
      for (const f of plan.files ?? []) await writeFile(f.file, f.text)
      const running = runFfmpegJob(tools.ffmpeg, plan.args, plan.durationSec, (p) => send((last = { state: 'running', ...p })))
      job.kill = running.kill
      if (job.cancelled) running.kill()
      const end = await running.done
      if (job.cancelled) return send({ ...last, state: 'cancelled' })
      if (end.code !== 0) {
        const reason = /No space left/i.test(end.stderr)
          ? 'the disk is full'
          : lastErrorLine(end.stderr) || `ffmpeg exited with ${end.code ?? end.signal}`
        this.log.warn(`export of ${req.name} failed: ${reason}`)
        return send({ ...last, state: 'failed', error: `Export failed: ${reason}` })
      }
      const outputs: string[] = []
      for (const o of plan.outputs) outputs.push(await placeWithoutOverwrite(o.temp, src.dir, o.base, o.ext))
      send({ state: 'done', fraction: 1, speed: last.speed, output: outputs[0], outputs })
    } catch (err) {
      if (job.cancelled) return send({ ...last, state: 'cancelled' })
      const message = err instanceof DymError ? err.message : `Export failed: ${err instanceof Error ? err.message : String(err)}`
      this.log.warn(`export of ${req.name} failed: ${message}`)
      send({ ...last, state: 'failed', error: message.slice(0, 500) })
    } finally {
      await Promise.all((plan?.outputs ?? []).map((o) => rm(o.temp, { force: true })))
      await rm(tempDir, { recursive: true, force: true })
    }
  }
}

/**
 * Gives `temp` its final name `<base><ext>`, or `<base> (2)<ext>`… when taken. A hard link fails
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
