import { formatAccelerator, SHORTCUTS } from '../../../shared/shortcuts'
import { ModalDialog } from '../dialog/ModalDialog'
import { keyPlatform } from './use-shortcut-commands'

/** The keyboard shortcuts help sheet: the same table the application menu is built from. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const platform = keyPlatform()
  return (
    <ModalDialog
      open={open}
      title="Keyboard shortcuts"
      onCancel={onClose}
      testId="shortcuts-dialog"
      footer={
        <button type="button" className="button primary" onClick={onClose} data-autofocus>
          Done
        </button>
      }
    >
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.command}>
              <td>{s.label}</td>
              <td>
                <kbd>{formatAccelerator(s.accelerator, platform)}</kbd>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Meeting shortcuts work while you are in a meeting.</p>
    </ModalDialog>
  )
}
