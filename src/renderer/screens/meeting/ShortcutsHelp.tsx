import { useEffect, useRef } from 'react'
import { CloseIcon } from '../../app/icons'
import { SHORTCUTS } from './shortcuts'

/** The keyboard shortcuts, as a modal sheet (Esc or the close button dismiss it). */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    closeRef.current?.focus()
    return () => previous?.focus()
  }, [])
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        data-testid="shortcuts-help"
        onKeyDown={(e) => {
          // Keep Tab inside the sheet: it has one control.
          if (e.key === 'Tab') {
            e.preventDefault()
            closeRef.current?.focus()
          }
        }}
      >
        <div className="dialog-head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="icon-btn" aria-label="Close keyboard shortcuts" onClick={onClose}>
            <CloseIcon size={18} />
          </button>
        </div>
        <dl className="shortcut-list">
          {SHORTCUTS.map((s) => (
            <div key={s.action} className="shortcut-row">
              <dt>
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  )
}
