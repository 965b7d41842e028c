import { useEffect, useRef } from 'react'

/** A modal "are you sure" for deleting a recording: Escape or Cancel keep it, focus starts on Cancel. */
export function ConfirmDelete({ title, onConfirm, onCancel }: { title: string; onConfirm: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const d = dialog.current
    if (d && !d.open) d.showModal()
    cancel.current?.focus()
    return () => d?.close()
  }, [])
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="confirm-delete-title" onCancel={onCancel}>
      <h2 id="confirm-delete-title">Delete this recording?</h2>
      <p>
        <strong>{title}</strong> will be moved to the trash, or deleted where there is no trash. Exports of it stay.
      </p>
      <div className="dialog-actions">
        <button type="button" className="btn ghost" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn danger" onClick={onConfirm}>
          Delete recording
        </button>
      </div>
    </dialog>
  )
}
