import { ModalDialog } from '../../features/dialog/ModalDialog'

/** "Are you sure" before deleting a recording: Escape, Close or Cancel keep it; focus starts on Cancel. */
export function ConfirmDelete({ title, onConfirm, onCancel }: { title: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <ModalDialog
      open
      title="Delete this recording?"
      onCancel={onCancel}
      className="confirm-delete"
      testId="confirm-delete"
      footer={
        <>
          <button type="button" className="btn ghost" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={onConfirm}>
            Delete recording
          </button>
        </>
      }
    >
      <p>
        <strong>{title}</strong> will be moved to the trash, or deleted where there is no trash. Exports of it stay.
      </p>
    </ModalDialog>
  )
}
