import { useCallback, useEffect, useState } from 'react'
import { useCoreEvent } from '../core/use-core'

/**
 * The `dym://join/...` link the desktop app was opened with, or opened while running. The
 * pre-join screen shows it; `clear()` once it is handled or dismissed. `refused` holds the
 * reason when a dym: link was malformed. In the headless host both stay null.
 */
export function usePendingInvite(): { invite: string | null; refused: string | null; clear: () => void } {
  const [invite, setInvite] = useState<string | null>(null)
  const [refused, setRefused] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    // A link that came before this window existed waits in the core: take it once.
    window.dym.invoke('app.pending-invite', {}).then(
      (pending) => {
        if (live && pending.invite) setInvite(pending.invite)
      },
      () => undefined
    )
    return () => {
      live = false
    }
  }, [])

  useCoreEvent(
    'app.open-invite',
    useCallback(({ invite: next }: { invite: string }) => {
      setInvite(next)
      setRefused(null)
      // The core also kept it for a window that was not there yet: it is ours now.
      window.dym.invoke('app.pending-invite', {}).catch(() => undefined)
    }, [])
  )
  useCoreEvent(
    'app.link-refused',
    useCallback(({ reason }: { reason: string }) => setRefused(reason), [])
  )

  const clear = useCallback(() => {
    setInvite(null)
    setRefused(null)
  }, [])
  return { invite, refused, clear }
}
