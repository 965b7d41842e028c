import { useCallback, useState } from 'react'
import { toDymError, type ScreenPickRequest, type ScreenSource } from '../../../shared/contract/index'
import { useCoreEvent } from '../core/use-core'
import { ModalDialog } from '../dialog/ModalDialog'

/**
 * The desktop app's screen picker. getDisplayMedia in the call UI makes the shell list screens
 * and windows; they arrive here as `screen.pick-request`, and the choice goes back with
 * `screen.pick` (null = cancel, and getDisplayMedia rejects with NotAllowedError). In the
 * headless host Chromium shows its own picker and this never opens.
 */
export function ScreenPickerDialog() {
  const [request, setRequest] = useState<ScreenPickRequest | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [audio, setAudio] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useCoreEvent(
    'screen.pick-request',
    useCallback((next: ScreenPickRequest) => {
      setRequest(next)
      setSelected(next.sources[0]?.id ?? null)
      setAudio(false)
      setError(null)
    }, [])
  )
  useCoreEvent(
    'screen.pick-cancelled',
    useCallback(({ requestId }: { requestId: string }) => setRequest((open) => (open?.requestId === requestId ? null : open)), [])
  )

  const answer = useCallback(
    (sourceId: string | null) => {
      if (!request) return
      const { requestId } = request
      setRequest(null)
      window.dym.invoke('screen.pick', { requestId, sourceId, audio: sourceId !== null && audio }).catch((err: unknown) => {
        // The request timed out or was replaced meanwhile: nothing to share, say so.
        if (sourceId !== null) setError(toDymError(err).message)
      })
    },
    [request, audio]
  )

  const screens = request?.sources.filter((s) => s.kind === 'screen') ?? []
  const windows = request?.sources.filter((s) => s.kind === 'window') ?? []

  return (
    <>
      <ModalDialog
        open={request !== null}
        title="Choose what to share"
        onCancel={() => answer(null)}
        className="screen-picker"
        testId="screen-picker"
        footer={
          <>
            {request?.audioAvailable && (
              <label className="check">
                <input type="checkbox" checked={audio} onChange={(e) => setAudio(e.target.checked)} data-testid="screen-picker-audio" />
                Also share system audio
              </label>
            )}
            <span className="spacer" />
            <button type="button" className="button" onClick={() => answer(null)} data-testid="screen-picker-cancel">
              Cancel
            </button>
            <button
              type="button"
              className="button primary"
              disabled={selected === null}
              onClick={() => answer(selected)}
              data-testid="screen-picker-share"
            >
              Share
            </button>
          </>
        }
      >
        {request && request.sources.length === 0 && (
          <p className="muted" role="status">
            No screens or windows can be shared. On macOS, allow Digital You Meet under System Settings → Privacy &amp; Security → Screen
            Recording.
          </p>
        )}
        <SourceGroup legend="Screens" sources={screens} selected={selected} onSelect={setSelected} onChoose={answer} />
        <SourceGroup legend="Windows" sources={windows} selected={selected} onSelect={setSelected} onChoose={answer} />
      </ModalDialog>
      {error && (
        <div className="toast error" role="alert" data-testid="screen-picker-error">
          {error}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
    </>
  )
}

function SourceGroup(props: {
  legend: string
  sources: ScreenSource[]
  selected: string | null
  onSelect: (id: string) => void
  onChoose: (id: string) => void
}) {
  if (props.sources.length === 0) return null
  return (
    <fieldset className="source-group">
      <legend>{props.legend}</legend>
      <div className="source-grid">
        {props.sources.map((source) => (
          <label
            key={source.id}
            className={`source ${props.selected === source.id ? 'selected' : ''}`}
            data-testid="screen-source"
            data-source-id={source.id}
            onDoubleClick={() => props.onChoose(source.id)}
          >
            <input
              type="radio"
              name="screen-source"
              value={source.id}
              checked={props.selected === source.id}
              onChange={() => props.onSelect(source.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') props.onChoose(source.id)
              }}
              className="visually-hidden"
            />
            {source.thumbnail ? (
              <img src={source.thumbnail} alt="" className="thumb" />
            ) : (
              <span className="thumb empty" aria-hidden="true" />
            )}
            <span className="source-name" title={source.name}>
              {source.name}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  )
}
