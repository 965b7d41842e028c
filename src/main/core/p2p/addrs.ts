import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

/**
 * Address text from outside (an invite, a member, settings) made into multiaddrs. Text that is
 * not a multiaddr is left out, never thrown: one bad address must not cost the good ones.
 */
export function parseAddr(text: string): Multiaddr | null {
  try {
    return multiaddr(text)
  } catch {
    return null
  }
}

export function parseAddrs(texts: readonly string[]): Multiaddr[] {
  return texts.flatMap((text) => parseAddr(text) ?? [])
}

/** The peer an address reaches: its last /p2p/ (so a relayed address counts for its target). */
export function lastPeerId(ma: Multiaddr): string | null {
  return (
    ma
      .getComponents()
      .filter((c) => c.name === 'p2p')
      .at(-1)?.value ?? null
  )
}
