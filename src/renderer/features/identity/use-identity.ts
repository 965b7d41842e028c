import { useCallback, useState } from 'react'
import type { IdentityView } from '../../../shared/contract/index'
import { useCoreEvent, useCoreQuery, type Loadable } from '../core/use-core'

/**
 * Who is signed in, kept current: the core's answer at start, then every `identity.changed`
 * (sign-in, sign-out, and our own verification badge changing after a directory check).
 * `accept` takes a view a sign-in call returned, so the screen does not wait for the event.
 */
export function useIdentity(): { identity: Loadable<IdentityView>; accept: (view: IdentityView) => void } {
  const initial = useCoreQuery('identity.current', {})
  const [live, setLive] = useState<IdentityView | null>(null)
  const accept = useCallback((view: IdentityView) => setLive(view), [])
  useCoreEvent('identity.changed', accept)
  return { identity: live ? { state: 'ready', value: live } : initial, accept }
}
