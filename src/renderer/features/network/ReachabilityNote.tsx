import { useEffect, useState } from 'react'
import type { Reachability } from '../../../shared/contract/index'
import './network.css'

/** Relay reservations and confirmed addresses come and go: ask again every few seconds while shown. */
const REFRESH_MS = 5_000

/**
 * Whether people outside this network can reach us, as the core's p2p node sees it, in one
 * plain sentence ("directly", "only through a relay", or what is missing).
 */
export function ReachabilityNote({ testId = 'reachability' }: { testId?: string }) {
  const [reach, setReach] = useState<Reachability | null>(null)
  useEffect(() => {
    let live = true
    const ask = () =>
      window.dym.invoke('network.reachability', {}).then(
        (r) => live && setReach(r),
        () => undefined
      )
    void ask()
    const timer = setInterval(() => void ask(), REFRESH_MS)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [])
  if (!reach || reach.kind === 'unknown') return null
  return (
    <p className={`reachability reachability--${reach.kind}`} role="status" data-testid={testId} data-kind={reach.kind}>
      {reach.text}
    </p>
  )
}
