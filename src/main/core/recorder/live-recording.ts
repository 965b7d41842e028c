import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Readable, Writable } from 'node:stream'
import { DymError } from '../../../shared/contract/errors'
import type { FfmpegTools } from './find-ffmpeg'
import { metadataArgs, type RecordingMetadata } from './metadata'
import { lastErrorLine } from './run-tool'
import { WebmStreamCheck } from './webm-check'

/** Chunks that may wait for ffmpeg at once; a renderer that sends faster than that is refused. */
export const MAX_WAITING_CHUNKS = 8
/** How long one chunk may wait for ffmpeg to take more before the recording is declared stuck. */
export const DRAIN_TIMEOUT_MS = 30_000
/**
 * A write to an ffmpeg that died fails (a broken pipe) before the process's exit is seen; the
 * exit says why it died, so a failed write waits this long for it before it answers.
 */
const EXIT_WAIT_MS = 2_000

export type ChunkAccepted = { seq: number; bytesReceived: number; writtenMs: number }

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null; expected: boolean; stderr: string }

/**
 * One ffmpeg child writing one recording. WebM slices from MediaRecorder go in on stdin and are
 * copied (never re-encoded) into Matroska. Clusters are cut every second and flushed at once,
 * so if everything dies, the file on disk plays up to about a second before the end.
 *
 * Memory stays flat however long the meeting: a chunk is written only when the one before it is
 * in ffmpeg's pipe, at most MAX_WAITING_CHUNKS wait behind it, and the caller's promise (the
 * renderer's `recording.chunk`) resolves only when its chunk is in the pipe, which slows the
 * sender down.
 */
export class LiveRecording {
  private child: ChildProcessByStdio<Writable, Readable, Readable> | null = null
  private stderrTail = ''
  private nextSeq = 0
  private readonly check = new WebmStreamCheck()
  private waiting = 0
  private tail: Promise<unknown> = Promise.resolve()
  private stopping = false
  private exit: ExitInfo | null = null
  private readonly exited: Promise<ExitInfo>
  private resolveExit!: (info: ExitInfo) => void
  bytesReceived = 0
  /**
   * How far into the recording ffmpeg has written (ms of media), from its progress reports: what
   * a crash can no longer take. Reports come while input flows, at most half a second apart.
   */
  writtenMs = 0

  constructor(
    private readonly tools: FfmpegTools,
    readonly file: string,
    private readonly meta: RecordingMetadata,
    private readonly onUnexpectedExit: (info: ExitInfo) => void
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve))
  }

  get pid(): number | null {
    return this.child?.pid ?? null
  }

  get hasExited(): boolean {
    return this.exit !== null
  }

  /** Starts ffmpeg; rejects if it cannot be started at all. */
  async start(): Promise<void> {
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostats',
      // Progress as key=value lines on stdout (out_time_us; out_time_ms in ffmpeg 4.1, also in
      // microseconds despite its name): how much of the recording is on disk.
      '-progress',
      'pipe:1',
      // Start writing at once: by default ffmpeg first reads up to 5 s of input to measure the
      // frame rate (a copy does not need it), so a recording that failed in its first seconds
      // left an empty file, and at the compositor's few frames a second every failure lost 5 s.
      '-fpsprobesize',
      '0',
      '-analyzeduration',
      '500000',
      '-f',
      'matroska',
      '-i',
      'pipe:0',
      '-map',
      '0',
      '-c',
      'copy',
      ...metadataArgs(this.meta),
      // Streaming-safe: a cluster per second, written out at once (-flush_packets), so a kill
      // loses at most the last second that reached ffmpeg.
      '-flush_packets',
      '1',
      '-cluster_time_limit',
      '1000',
      '-f',
      'matroska',
      // The empty file was reserved by us (never someone else's): take it over.
      '-y',
      this.file
    ]
    const child = spawn(this.tools.ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
    this.child = child
    let progress = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const lines = (progress + d).split('\n')
      progress = (lines.pop() ?? '').slice(-256)
      for (const line of lines) {
        const at = /^out_time_(?:us|ms)=(\d+)/.exec(line)
        if (at) this.writtenMs = Math.max(this.writtenMs, Math.floor(Number(at[1]) / 1000))
      }
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-8192)
    })
    // ffmpeg leaving early makes writes fail with EPIPE; the exit handler reports why.
    child.stdin.on('error', () => undefined)
    child.once('close', (code, signal) => {
      this.exit = { code, signal, expected: this.stopping, stderr: this.stderrTail }
      this.resolveExit(this.exit)
      if (!this.stopping) this.onUnexpectedExit(this.exit)
    })
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve)
      child.once('error', reject)
    })
  }

  /** Queue one slice. Resolves when ffmpeg has it (or it was a repeat of one it already has). */
  push(seq: number, bytes: Uint8Array): Promise<ChunkAccepted> {
    if (this.stopping) return Promise.reject(new DymError('conflict', 'This recording is stopping; no more chunks'))
    if (this.waiting >= MAX_WAITING_CHUNKS) {
      return Promise.reject(
        new DymError('conflict', `More than ${MAX_WAITING_CHUNKS} chunks in flight: send the next one when the last has been accepted`)
      )
    }
    this.waiting++
    const run = this.tail.then(async () => {
      try {
        return await this.write(seq, bytes)
      } finally {
        this.waiting--
      }
    })
    this.tail = run.catch(() => undefined)
    return run
  }

  private async write(seq: number, bytes: Uint8Array): Promise<ChunkAccepted> {
    if (seq < this.nextSeq) return this.accepted(seq) // a resend after a reconnect
    if (seq > this.nextSeq) throw new DymError('bad-request', `Chunk ${seq} arrived but ${this.nextSeq} is next: chunks must come in order`)
    // Garbage never reaches the file: a refused chunk leaves the stream where it was.
    const problem = this.check.feed(bytes)
    if (problem) throw new DymError('bad-request', `Chunk ${seq} does not continue the recording's WebM stream: ${problem}`)
    const stdin = this.child?.stdin
    if (!stdin || this.exit || stdin.destroyed) throw await this.failure()
    await this.handOver(stdin, bytes)
    this.nextSeq++
    this.bytesReceived += bytes.byteLength
    return this.accepted(seq)
  }

  private accepted(seq: number): ChunkAccepted {
    return { seq, bytesReceived: this.bytesReceived, writtenMs: this.writtenMs }
  }

  /**
   * Resolves once the bytes are in ffmpeg's pipe, not in our own buffers: from then on ffmpeg
   * reads them even if this process dies, so a chunk we accepted survives a crash of the core.
   */
  private handOver(stdin: Writable, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false
      const done = (err?: Error | null) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (!err) resolve()
        else if (err instanceof DymError) reject(err)
        else void this.failure().then(reject)
      }
      const timer = setTimeout(
        () => done(new DymError('unavailable', `ffmpeg took no data for ${DRAIN_TIMEOUT_MS / 1000} s`)),
        DRAIN_TIMEOUT_MS
      )
      stdin.write(bytes, (err) => done(err))
      void this.exited.then(() => done(new DymError('unavailable', this.failureMessage())))
    })
  }

  /** Ends the input and waits for ffmpeg to write the trailer (duration, index). */
  async stop(timeoutMs = 60_000): Promise<ExitInfo> {
    this.stopping = true
    await this.tail // the chunks already accepted go in first
    const child = this.child
    if (child && !this.exit) {
      child.stdin.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      await this.exited
      clearTimeout(timer)
    }
    return this.exit ?? { code: null, signal: null, expected: true, stderr: '' }
  }

  /** The error for a write ffmpeg did not take, once its exit (which says why) has come or a while has passed. */
  private async failure(): Promise<DymError> {
    if (!this.exit) await Promise.race([this.exited, sleep(EXIT_WAIT_MS, undefined, { ref: false })])
    return new DymError('unavailable', this.failureMessage())
  }

  /** Why ffmpeg stopped, in words for the user. */
  failureMessage(): string {
    return describeFfmpegFailure(this.exit)
  }
}

/** ffmpeg's exit, as a sentence a person understands (disk full is the common one). */
export function describeFfmpegFailure(exit: Pick<ExitInfo, 'code' | 'signal' | 'stderr'> | null): string {
  if (!exit) return 'ffmpeg is not running'
  const text = exit.stderr
  if (/No space left on device|Disk quota exceeded/i.test(text))
    return 'The disk is full. The recording stopped; what was recorded until then is saved.'
  if (/File too large/i.test(text) || exit.signal === 'SIGXFSZ')
    return 'The file reached the largest size this disk allows. The recording stopped; what was recorded until then is saved.'
  if (/Permission denied|Read-only file system/i.test(text))
    return 'The recordings folder is not writable. The recording stopped; what was recorded until then is saved.'
  const detail = lastErrorLine(text)
  const how = exit.signal ? `was stopped (${exit.signal})` : `exited with code ${exit.code}`
  return `ffmpeg ${how}${detail ? `: ${detail}` : ''}. The recording stopped; what was recorded until then is saved.`
}
