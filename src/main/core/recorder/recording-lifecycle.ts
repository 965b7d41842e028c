import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import { DymError } from '../../../shared/contract/errors'
import type { RecordingEntry, RecordingParticipant, RecordingState, recordingMethods } from '../../../shared/contract/recording'
import type { Logger } from '../log'
import type { Emit } from '../service'
import { openConsent, type ConsentIdentity } from './consent/consent-handlers'
import { journalConsent } from './consent/consent-journal'
import type { ConsentSession } from './consent/consent-log'
import { recordingBaseName, reserveUniqueFile } from './file-names'
import type { FfmpegTools } from './find-ffmpeg'
import type { RecordingsLibrary } from './library'
import { describeFfmpegFailure, type ExitInfo } from './live-recording'
import { rosterNames, type Marker, type MarkerStore } from './markers'
import { ComposedSink, TracksSink, type RecordingSink } from './recording-sinks'

export type StartRequest = z.infer<(typeof recordingMethods)['recording.start']['request']>

/** The recording running now (or the last one that ended): the lifecycle's own. */
export interface ActiveRecording {
  id: string
  name: string
  sink: RecordingSink
  marker: Marker
  phase: RecordingState['phase']
  error?: string
  idleTimer: NodeJS.Timeout | null
  lastStateEmit: number
  /** the one finalisation, whoever starts it (stop, a failure, the idle timer, shutdown) */
  finished: Promise<RecordingEntry | null> | null
  /** a tracks recording's consent: who answered what, signed into the file at the end */
  consent: ConsentSession | null
}

export interface LifecycleDeps {
  emit: Emit
  log: Logger
  markers: MarkerStore
  library: RecordingsLibrary
  toolsOrNull: () => Promise<FfmpegTools | null>
  /** who we are, to sign consent */
  identity: ConsentIdentity | undefined
  /** a recording that receives nothing for this long is stopped and kept */
  idleTimeoutMs: number
}

/**
 * One recording at a time, from its start to its file: opening it (file, marker, sink, consent),
 * its state as the page sees it, the idle timer, the roster, and the one finalisation. The only
 * writer of which recording runs and of the folder it is pinned to.
 */
export class RecordingLifecycle {
  private current: ActiveRecording | null = null
  /** the last one that ended, so a stop that comes after a failure still gets its entry */
  private ended: ActiveRecording | null = null
  /** a recording stays in the folder it started in while it runs and is finished, whatever the setting says meanwhile */
  private pinned: { by: ActiveRecording; dir: string } | null = null
  private opening = false

  constructor(private readonly d: LifecycleDeps) {}

  get active(): ActiveRecording | null {
    return this.current
  }

  get pinnedFolder(): string | null {
    return this.pinned?.dir ?? null
  }

  byId(id: string): ActiveRecording {
    if (this.current?.id === id) return this.current
    if (this.ended?.id === id) return this.ended
    throw new DymError('not-found', 'No such recording is running')
  }

  stateOf(a: ActiveRecording): RecordingState {
    return {
      recordingId: a.id,
      name: a.name,
      title: a.marker.title,
      phase: a.phase,
      path: a.sink.path,
      startedAt: a.marker.startedAt,
      bytesReceived: a.sink.bytesReceived,
      participants: rosterNames(a.marker.roster),
      ...(a.error ? { error: a.error } : {}),
      ...(a.consent ? { consent: { id: a.consent.id, recorder: a.consent.recorder } } : {})
    }
  }

  emitState(a: ActiveRecording): void {
    a.lastStateEmit = Date.now()
    this.d.emit('recording.state', this.stateOf(a))
  }

  /** Something arrived: the idle timer starts again. */
  armIdleTimer(a: ActiveRecording): void {
    if (a.idleTimer) clearTimeout(a.idleTimer)
    a.idleTimer = setTimeout(() => {
      this.d.log.warn(`recording ${a.name}: nothing arrived for ${this.d.idleTimeoutMs} ms, stopping it`)
      void this.finish(a, 'Nothing arrived from the app for a while, so the recording was stopped and saved.')
    }, this.d.idleTimeoutMs)
    a.idleTimer.unref()
  }

  /**
   * Reserves the file, writes the marker and starts the sink; nothing is left behind when that
   * fails. One at a time: a second start while one is opening or running is a conflict.
   */
  async start(t: FfmpegTools, req: StartRequest, folder: string): Promise<ActiveRecording> {
    if (this.current || this.opening) throw new DymError('conflict', 'A recording is already running')
    this.opening = true
    try {
      return await this.open(t, req, folder)
    } finally {
      this.opening = false
    }
  }

  private async open(t: FfmpegTools, req: StartRequest, folder: string): Promise<ActiveRecording> {
    const startedAt = Date.now()
    const title = req.title || 'Meeting'
    const name = await reserveUniqueFile(folder, recordingBaseName(new Date(startedAt), title), '.mkv')
    const id = randomUUID()
    const marker: Marker = {
      version: 1,
      recordingId: id,
      file: path.join(folder, name),
      title,
      startedAt,
      ffmpegPid: null,
      path: req.path,
      roster: dedupe(req.participants).map((p) => ({ id: p.id, name: p.name, joinedAtMs: 0, leftAtMs: null }))
    }
    const sink: RecordingSink =
      req.path === 'tracks'
        ? new TracksSink(marker.file, this.d.log)
        : new ComposedSink(t, marker, (exit) => this.onUnexpectedExit(a, exit), this.d.log)
    const consent = req.path === 'tracks' ? await openConsent(this.d.identity) : null
    const a: ActiveRecording = { id, name, marker, sink, phase: 'recording', idleTimer: null, lastStateEmit: 0, finished: null, consent }
    try {
      await sink.start()
      if (consent && sink instanceof TracksSink) journalConsent(consent, sink.tracks.workDir)
      marker.ffmpegPid = sink.pid
      await this.d.markers.write(marker)
    } catch (err) {
      await rm(marker.file, { force: true })
      if (sink instanceof TracksSink) await sink.tracks.removeWorkDir()
      const why = err instanceof Error ? err.message : String(err)
      throw new DymError(
        'unavailable',
        req.path === 'tracks' ? `The recording could not be started: ${why}` : `ffmpeg could not be started: ${why}`
      )
    }
    this.current = a
    this.pinned = { by: a, dir: folder }
    this.armIdleTimer(a)
    this.emitState(a)
    return a
  }

  /** Who is in the meeting now: newcomers join the roster, who is gone gets a leaving time. */
  async saveRoster(a: ActiveRecording, people: RecordingParticipant[]): Promise<void> {
    const now = Date.now() - a.marker.startedAt
    const present = new Set(people.map((p) => p.id))
    for (const r of a.marker.roster) if (r.leftAtMs === null && !present.has(r.id)) r.leftAtMs = now
    for (const p of dedupe(people)) {
      const here = a.marker.roster.find((r) => r.id === p.id && r.leftAtMs === null)
      if (!here && a.marker.roster.length < 500) a.marker.roster.push({ id: p.id, name: p.name, joinedAtMs: now, leftAtMs: null })
    }
    await this.d.markers.write(a.marker)
    this.emitState(a)
  }

  /**
   * Ends a recording: its sink makes the file final with everyone who was there in its metadata,
   * the marker goes (unless the parts are kept to be finished on the next start). `failure` set
   * = it ended because something broke.
   */
  finish(a: ActiveRecording, failure?: string): Promise<RecordingEntry | null> {
    a.finished ??= (async () => {
      if (a.idleTimer) clearTimeout(a.idleTimer)
      a.phase = 'finalising'
      if (failure) a.error = failure
      this.emitState(a)
      const t = await this.d.toolsOrNull()
      const consent = a.consent
      const end = await a.sink.finish(
        t,
        { title: a.marker.title, startedAt: a.marker.startedAt, participants: rosterNames(a.marker.roster) },
        consent ? { keeps: (id) => consent.agreed(id), seal: (tracks) => consent.seal(a.marker.title, tracks) } : undefined
      )
      if (end.failure && !a.error) a.error = end.failure
      a.phase = a.error ? 'failed' : 'stopped'
      if (!end.retryLater) await this.d.markers.remove(a.id)
      if (this.current === a) this.current = null
      this.ended = a
      this.emitState(a)
      this.d.emit('recording.list-changed', { reason: a.error ? 'recording-failed' : 'recording-stopped' })
      return end.empty ? null : this.d.library.entry(t, a.name)
    })().finally(() => {
      if (this.pinned?.by === a) this.pinned = null
    })
    return a.finished
  }

  private onUnexpectedExit(a: ActiveRecording, exit: ExitInfo): void {
    const message = describeFfmpegFailure(exit)
    this.d.log.warn(`ffmpeg for ${a.name} exited mid-recording: ${exit.stderr.slice(-300)}`)
    void this.finish(a, message)
  }
}

/** One entry per participant id (the last name wins). */
export function dedupe(people: RecordingParticipant[]): RecordingParticipant[] {
  return [...new Map(people.map((p) => [p.id, p])).values()]
}
