import { DymError } from '../../../shared/contract/errors'
import type { Logger } from '../log'
import type { Handler } from '../service'
import type { FfmpegTools } from './find-ffmpeg'
import type { MarkerStore } from './markers'
import { ComposedSink, TracksSink } from './recording-sinks'
import { ensureWritableFolder } from './recordings-folder'
import type { RecordingLifecycle } from './recording-lifecycle'

type RecordingMethod =
  'recording.start' | 'recording.track' | 'recording.frames' | 'recording.chunk' | 'recording.participants' | 'recording.stop'

export interface RecordingHandlerDeps {
  lifecycle: RecordingLifecycle
  markers: MarkerStore
  /** the recordings folder now (a setting, read on every use) */
  folder: () => string
  requireTools: () => Promise<FfmpegTools>
  log: Logger
}

/** The running recording's side of the recorder: start, what the page sends while it runs, stop. */
export function createRecordingHandlers(deps: RecordingHandlerDeps): { [M in RecordingMethod]: Handler<M> } {
  const { lifecycle } = deps
  /** The recording with this id if it still takes media. */
  const running = (id: string) => {
    const a = lifecycle.byId(id)
    if (a.phase !== 'recording') throw new DymError('unavailable', a.error ?? 'This recording has stopped')
    return a
  }
  return {
    'recording.start': async (req) => {
      if (lifecycle.active) throw new DymError('conflict', 'A recording is already running')
      const t = await deps.requireTools()
      const dir = deps.folder()
      await ensureWritableFolder(dir)
      const a = await lifecycle.start(t, req, dir)
      deps.log.info(`recording ${a.name} (${a.sink.path}; ffmpeg ${t.version} from ${t.source})`)
      return lifecycle.stateOf(a)
    },
    'recording.track': async (req) => {
      const a = lifecycle.byId(req.recordingId)
      if (!(a.sink instanceof TracksSink)) throw new DymError('bad-request', 'This recording takes chunks, not tracks')
      running(req.recordingId)
      if (a.consent?.refused(req.personId)) throw new DymError('denied', `${req.personName} refused to be recorded`)
      const info = a.sink.tracks.openTrack(req)
      a.marker.tracks = a.sink.tracks.tracks
      await deps.markers.write(a.marker)
      return { track: info.number }
    },
    'recording.frames': async (req) => {
      const a = lifecycle.byId(req.recordingId)
      if (!(a.sink instanceof TracksSink)) throw new DymError('bad-request', 'This recording takes chunks, not frames')
      running(req.recordingId)
      lifecycle.armIdleTimer(a)
      const accepted = await a.sink.tracks.push(req.seq, req.bytes)
      if (Date.now() - a.lastStateEmit > 2000) lifecycle.emitState(a)
      return accepted
    },
    'recording.chunk': async (req) => {
      const a = running(req.recordingId)
      lifecycle.armIdleTimer(a)
      if (!(a.sink instanceof ComposedSink)) throw new DymError('bad-request', 'This recording takes frames, not chunks')
      const accepted = await a.sink.live.push(req.seq, req.bytes)
      if (Date.now() - a.lastStateEmit > 2000) lifecycle.emitState(a)
      return accepted
    },
    'recording.participants': async (req) => {
      await lifecycle.saveRoster(lifecycle.byId(req.recordingId), req.participants)
      return { ok: true as const }
    },
    'recording.stop': async (req) => {
      const a = lifecycle.byId(req.recordingId)
      const entry = await lifecycle.finish(a)
      // Nothing ever arrived: there is no file (not an empty one), so no entry either.
      if (!entry) throw new DymError('not-found', a.error ?? 'Nothing was recorded')
      return entry
    }
  }
}
