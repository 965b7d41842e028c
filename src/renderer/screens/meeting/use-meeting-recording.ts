import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { toDymError } from '../../../shared/contract/index'
import {
  exposeRecorderForDiagnostics,
  MeetingRecorder,
  frameTap,
  TrackRecorder,
  useRecorderStatus,
  type OwnSenders,
  type RecorderStatus,
  type RecorderView
} from '../../features/recording'
import { recordingSources, trackSources } from './recording-sources'
import type { TileModel } from './tiles'

/** The recording's picture: what the acceptance checks with ffprobe. */
export const MEETING_RECORDING = { width: 1280, height: 720, fps: 30 } as const

export interface MeetingRecordingInput {
  roomId: string
  title: string
  selfId: string
  tiles: readonly TileModel<MediaStream>[]
  /** the local microphone track (mixed in even while its tile shows no video) */
  mic: MediaStreamTrack | null
  /** the receiver a member's track arrives on (per-person recording taps its encoded frames) */
  receiverOf: (peerId: string, track: MediaStreamTrack) => RTCRtpReceiver | null
  /** the call's links that send our camera and microphone (per-person recording takes our frames there) */
  ownSenders: OwnSenders
  onToast: (toast: { text: string; tone?: 'info' | 'success' | 'warning' | 'danger' }) => void
}

export interface MeetingRecording {
  status: RecorderView
  /** starting, recording or stopping: the record button reads "Stop recording" */
  active: boolean
  /** what went wrong (the core's words: ffmpeg missing, disk full...), until dismissed */
  problem: string | null
  toggle: () => void
  /** Stops and finalises a running recording (before leaving the meeting). */
  finish: () => Promise<void>
  dismissProblem: () => void
}

const audioOnly = (stream: MediaStream): MediaStream | null => {
  const tracks = stream.getAudioTracks()
  return tracks.length > 0 ? new MediaStream(tracks) : null
}

type Recorder = MeetingRecorder | TrackRecorder

/**
 * Per person from encoded frames where this page can tap them, else the compositor.
 * `dym.recording.path` = `composed` in localStorage forces the compositor (tests, benchmarks).
 */
function newRecorder(own: OwnSenders): Recorder {
  const tap = localStorage.getItem('dym.recording.path') === 'composed' ? null : frameTap()
  return tap ? new TrackRecorder(tap, window.dym, own) : new MeetingRecorder(MEETING_RECORDING)
}

/**
 * Recording the meeting: the record button starts a MeetingRecorder fed by the meeting's tiles
 * (kept up to date with setSources, so people coming and going never cut the file) and the local
 * mic. Everyone is told through the room (`recording-started` once the core has the recording
 * running, `recording-stopped` when it ends, however it ends).
 */
export function useMeetingRecording(input: MeetingRecordingInput): MeetingRecording {
  const { roomId, title, selfId, tiles, mic, onToast, receiverOf, ownSenders } = input
  const [recorder, setRecorder] = useState<Recorder | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const status = useRecorderStatus(recorder)
  /** members who refused this recording, by peer id: their tracks are not recorded */
  const [refused, setRefused] = useState<ReadonlySet<string>>(() => new Set())
  const sources = useMemo(() => recordingSources(tiles, audioOnly), [tiles])
  const micStream = useMemo(() => (mic ? new MediaStream([mic]) : null), [mic])
  const tracks = useMemo(
    () =>
      trackSources(tiles, mic, {
        video: (s) => s.getVideoTracks()[0] ?? null,
        audio: (s) => s.getAudioTracks()[0] ?? null,
        receiverOf
      }).filter((t) => !refused.has(t.personId)),
    [tiles, mic, receiverOf, refused]
  )

  // What the callbacks below need without re-creating them on every render.
  const live = useRef({ sources, tracks, micStream, roomId, title, selfId, onToast, ownSenders })
  useLayoutEffect(() => {
    live.current = { sources, tracks, micStream, roomId, title, selfId, onToast, ownSenders }
  })
  /** the recorder of the last click, set at once (the state above follows a render later) */
  const latest = useRef<Recorder | null>(null)
  const announced = useRef(false)
  const starting = useRef<Promise<void> | null>(null)
  const gone = useRef(false)
  useEffect(() => {
    gone.current = false
    return () => void (gone.current = true)
  }, [])

  useEffect(
    () => (recorder instanceof TrackRecorder ? recorder.setSources(tracks) : recorder?.setSources(sources)),
    [recorder, sources, tracks]
  )
  useEffect(() => {
    if (recorder instanceof MeetingRecorder) recorder.setMicrophone(micStream, selfId)
  }, [recorder, micStream, selfId])

  const notice = useCallback((kind: 'recording-started' | 'recording-stopped', consent?: RecorderStatus['consent']) => {
    const told = kind === 'recording-started' && consent ? { kind, consent } : { kind }
    void window.dym.invoke('notice.send', { roomId: live.current.roomId, notice: told }).catch(() => undefined)
  }, [])

  // Members' answers to our recording: the core checks each; whoever refused is left out.
  useEffect(() => {
    if (!(recorder instanceof TrackRecorder)) return
    return window.dym.on('notice.received', (e) => {
      const { recordingId, consent } = recorder.status
      const notice = e.notice
      if (e.roomId !== live.current.roomId || notice.kind !== 'recording-consent' || !recordingId) return
      // Checked by the core: signed by the key of the member it names (whoever relayed it).
      if (notice.ack.recording !== consent?.id) return
      void window.dym.invoke('recording.consent', { recordingId, ack: notice.ack }).then(
        (r) => r.accepted && r.answer === 'refuse' && setRefused((s) => new Set([...s, notice.ack.by])),
        () => undefined
      )
    })
  }, [recorder])

  /** The recording ended (stopped or failed): tell the room once, free the compositor. */
  const ended = useCallback(
    (rec: Recorder) => {
      if (announced.current) notice('recording-stopped')
      announced.current = false
      rec.dispose()
    },
    [notice]
  )

  // A failure while recording (ffmpeg exits, the disk fills up) ends the recording for everyone.
  useEffect(() => {
    if (!recorder) return
    return recorder.onStatus((s) => {
      if (s.phase !== 'failed') return
      setProblem(s.error ?? 'The recording stopped')
      ended(recorder)
    })
  }, [recorder, ended])

  const start = useCallback(async () => {
    const { sources, tracks, micStream, selfId, title, ownSenders } = live.current
    setProblem(null)
    let rec: Recorder
    try {
      rec = newRecorder(ownSenders)
    } catch (err) {
      setProblem(toDymError(err).message)
      return
    }
    if (rec instanceof TrackRecorder) rec.setSources(tracks)
    else {
      rec.setSources(sources)
      rec.setMicrophone(micStream, selfId)
    }
    latest.current = rec
    setRecorder(rec)
    exposeRecorderForDiagnostics(rec)
    try {
      await rec.start({ title: title || 'Meeting' })
    } catch (err) {
      setProblem(rec.status.error ?? toDymError(err).message) // the core's words: no ffmpeg, folder not writable...
      ended(rec)
      return
    }
    if (gone.current) {
      // The meeting was left while ffmpeg was starting: keep what there is, tell nobody.
      await rec.stop()
      rec.dispose()
      return
    }
    announced.current = true
    setRefused(new Set())
    notice('recording-started', rec.status.consent)
  }, [notice, ended])

  const stop = useCallback(async () => {
    const rec = latest.current
    if (!rec) return
    const entry = await rec.stop()
    ended(rec)
    if (entry) live.current.onToast({ text: `Recording saved as ${entry.name}`, tone: 'success' })
  }, [ended])

  const finish = useCallback(async () => {
    await starting.current
    if (latest.current?.status.phase === 'recording') await stop()
  }, [stop])

  const toggle = useCallback(() => {
    const phase = latest.current?.status.phase ?? 'idle'
    if (phase === 'starting' || phase === 'stopping') return
    if (phase === 'recording') void stop()
    else starting.current = start().finally(() => (starting.current = null))
  }, [start, stop])

  // Leaving the screen any other way (the meeting ended, the window navigates): finalise the file.
  useEffect(() => {
    if (!recorder) return
    return () => {
      if (recorder.status.phase === 'recording') void recorder.stop().then(() => ended(recorder))
      else if (recorder.status.phase !== 'starting' && recorder.status.phase !== 'stopping') recorder.dispose()
    }
  }, [recorder, ended])

  const active = status.phase === 'starting' || status.phase === 'recording' || status.phase === 'stopping'
  return { status, active, problem, toggle, finish, dismissProblem: useCallback(() => setProblem(null), []) }
}
