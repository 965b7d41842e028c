import { useCallback, useState } from 'react'
import type { HostKind } from '../../../shared/contract/index'
import type { ShortcutCommand } from '../../../shared/shortcuts'
import { ShortcutsDialog } from './ShortcutsDialog'
import { useShortcutCommands } from './use-shortcut-commands'

/** The app-wide shortcuts sheet, opened on Help → Keyboard shortcuts (Ctrl+/ or ⌘/) anywhere in the app. */
export function AppShortcutsDialog({ hostKind }: { hostKind: HostKind | null }) {
  const [open, setOpen] = useState(false)
  useShortcutCommands(
    useCallback((command: ShortcutCommand) => {
      if (command === 'show-shortcuts') setOpen((o) => !o)
    }, []),
    hostKind
  )
  return <ShortcutsDialog open={open} onClose={() => setOpen(false)} />
}
