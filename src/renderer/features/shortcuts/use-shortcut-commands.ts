import { useCallback, useEffect, useRef } from 'react'
import type { HostKind } from '../../../shared/contract/index'
import { shortcutFor, type KeyPlatform, type ShortcutCommand } from '../../../shared/shortcuts'
import { useCoreEvent } from '../core/use-core'

export function keyPlatform(): KeyPlatform {
  return /Mac|iPhone|iPad/.test(navigator.userAgent) ? 'mac' : 'other'
}

/**
 * One stream of shortcut commands whichever host runs the app: in the desktop app the
 * application menu owns the keys and sends `app.menu-command`; in the headless host (a browser,
 * no menu) the same keys from src/shared/shortcuts.ts are caught here. Pass the host kind from
 * `app.info`; until it is known (null) only menu commands arrive.
 */
export function useShortcutCommands(onCommand: (command: ShortcutCommand) => void, hostKind: HostKind | null): void {
  const handler = useRef(onCommand)
  useEffect(() => {
    handler.current = onCommand
  })

  useCoreEvent(
    'app.menu-command',
    useCallback(({ command }: { command: ShortcutCommand }) => handler.current(command), [])
  )

  useEffect(() => {
    if (hostKind !== 'headless') return
    const platform = keyPlatform()
    const onKeyDown = (event: KeyboardEvent) => {
      // Not `defaultPrevented`: several components may each listen for their own commands.
      if (event.repeat) return
      const command = shortcutFor(event, platform)
      if (!command) return
      event.preventDefault()
      handler.current(command)
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [hostKind])
}
