import { formatAccelerator, SHORTCUTS } from '../../../shared/shortcuts'
import { ModalDialog } from '../dialog/ModalDialog'
import { keyPlatform } from './use-shortcut-commands'

/** Keys that work only somewhere (the meeting's single keys), listed above the app-wide ones. */
export interface ShortcutSection {
  title: string
  rows: ReadonlyArray<{ keys: readonly string[]; label: string }>
}

/**
 * The one keyboard shortcuts sheet: the app-wide table the application menu is built from, and,
 * when opened in a meeting, the meeting's own keys first.
 */
export function ShortcutsDialog({
  open,
  onClose,
  section,
  testId = 'shortcuts-dialog'
}: {
  open: boolean
  onClose: () => void
  section?: ShortcutSection
  testId?: string
}) {
  const platform = keyPlatform()
  return (
    <ModalDialog
      open={open}
      title="Keyboard shortcuts"
      onCancel={onClose}
      testId={testId}
      footer={
        <button type="button" className="button primary" onClick={onClose} data-autofocus>
          Done
        </button>
      }
    >
      {section && (
        <table className="shortcuts" aria-label={section.title}>
          <caption>{section.title}</caption>
          <tbody>
            {section.rows.map((s) => (
              <tr key={s.label}>
                <td>{s.label}</td>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <table className="shortcuts" aria-label="Anywhere in the app">
        {section && <caption>Anywhere in the app</caption>}
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
      {!section && <p className="muted">Meeting shortcuts work while you are in a meeting.</p>}
    </ModalDialog>
  )
}
