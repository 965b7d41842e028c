import { useEffect, useRef, useState } from 'react'
import { toDymError } from '../../../shared/contract/index'
import { exposeRecorderForDiagnostics, MeetingRecorder, useRecorderStatus } from '../../features/recording'
import { formatDuration } from './format'

/**
 * "Record yourself": the meeting recorder with one participant, the local camera and mic. It
 * checks a setup (camera, mic, ffmpeg, folder) before a meeting and records a message; it is
 * also exactly the path a meeting recording takes, with fewer sources.
 */
export function SelfRecorder({ selfName, onClose }: { selfName: string; onClose: () => void }) {
  const [recorder, setRecorder] = useState<MeetingRecorder | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [title, setTitle] = useState('My recording')
  const [now, setNow] = useState(() => Date.now())
  const preview = useRef<HTMLDivElement>(null)
  const status = useRecorderStatus(recorder)

  useEffect(() => {
    let cancelled = false
    let rec: MeetingRecorder | null = null
    let camera: MediaStream | null = null
    navigator.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: true }).then(
      (stream) => {
        camera = stream
        if (cancelled) return stream.getTracks().forEach((t) => t.stop())
        rec = new MeetingRecorder({ width: 1280, height: 720, fps: 30 })
        rec.setSources([{ id: 'self', name: selfName, stream: new MediaStream(stream.getVideoTracks()) }])
        rec.setMicrophone(new MediaStream(stream.getAudioTracks()), 'self')
        rec.compositor.canvas.setAttribute('aria-label', 'Preview of the recording')
        rec.compositor.canvas.className = 'self-recorder-canvas'
        preview.current?.replaceChildren(rec.compositor.canvas)
        exposeRecorderForDiagnostics(rec)
        setRecorder(rec)
      },
      (err: unknown) => setProblem(`No camera or microphone: ${err instanceof Error ? err.message : String(err)}`)
    )
    return () => {
      cancelled = true
      rec?.dispose()
      camera?.getTracks().forEach((t) => t.stop())
    }
  }, [selfName])

  const recording = status.phase === 'recording'
  useEffect(() => {
    if (!recording) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [recording])

  const start = async () => {
    if (!recorder) return
    setProblem(null)
    try {
      await recorder.start({ title: title.trim() || 'My recording' })
      setNow(Date.now())
    } catch (err) {
      setProblem(toDymError(err).message)
    }
  }
  const busy = status.phase === 'starting' || status.phase === 'recording' || status.phase === 'stopping'
  const elapsed = status.startedAt ? Math.max(0, (now - status.startedAt) / 1000) : 0

  return (
    <section className="panel self-recorder" aria-labelledby="self-recorder-title">
      <div className="panel-head">
        <h2 id="self-recorder-title">Record yourself</h2>
        <button type="button" className="btn ghost" onClick={onClose} disabled={busy}>
          Close
        </button>
      </div>
      <div className="self-recorder-body">
        <div className="self-recorder-preview">
          {/* The canvas is put in here by hand: React owns nothing inside this div. */}
          <div className="self-recorder-canvas-slot" ref={preview} />
          {!recorder && !problem && <p className="muted self-recorder-wait">Starting your camera…</p>}
        </div>
        <div className="self-recorder-controls">
          <label className="field">
            <span>Title</span>
            <input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} disabled={busy} />
          </label>
          {recording || status.phase === 'stopping' ? (
            <>
              <p className="rec-live" aria-live="polite">
                <span className="rec-dot" aria-hidden="true" /> Recording{' '}
                <span data-testid="recording-elapsed" data-seconds={elapsed.toFixed(1)}>
                  {formatDuration(elapsed)}
                </span>
              </p>
              <button type="button" className="btn danger" onClick={() => void recorder?.stop()} disabled={status.phase === 'stopping'}>
                {status.phase === 'stopping' ? 'Saving…' : 'Stop recording'}
              </button>
            </>
          ) : (
            <button type="button" className="btn primary" onClick={() => void start()} disabled={!recorder || status.phase === 'starting'}>
              {status.phase === 'starting' ? 'Starting…' : 'Start recording'}
            </button>
          )}
          {status.phase === 'stopped' && status.entry && (
            <p role="status" className="ok-text">
              Saved as <code>{status.entry.name}</code>
            </p>
          )}
          {(problem || status.error) && (
            <p role="alert" className="error">
              {problem ?? status.error}
            </p>
          )}
        </div>
      </div>
    </section>
  )
}
