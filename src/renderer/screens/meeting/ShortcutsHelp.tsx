import { ShortcutsDialog } from '../../features/shortcuts/ShortcutsDialog'
import { SHORTCUTS } from './shortcuts'

const MEETING_KEYS = { title: 'In this meeting', rows: SHORTCUTS }

/** The shortcuts sheet opened with "?" in a meeting: the meeting's single keys, then the app's. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return <ShortcutsDialog open onClose={onClose} section={MEETING_KEYS} testId="shortcuts-help" />
}
