/**
 * The few facts the engine reads out of an SDP. Kept tiny and pure (unit-tested): the engine
 * never rewrites SDP.
 */

/** The `o=` line's session id: a new one means the remote side started a fresh peer connection. */
export function sdpSessionId(sdp: string): string | null {
  const match = /^o=\S+ (\d+) /m.exec(sdp)
  return match?.[1] ?? null
}

/** Every `a=ice-ufrag:` value: candidates name the ICE generation they belong to by ufrag. */
export function sdpIceUfrags(sdp: string): Set<string> {
  const out = new Set<string>()
  for (const match of sdp.matchAll(/^a=ice-ufrag:(\S+)/gm)) if (match[1]) out.add(match[1])
  return out
}

/**
 * Who yields when both sides offer at once (perfect negotiation). Any rule works as long as
 * both sides compute opposite answers from the same two ids.
 */
export function isPolite(selfId: string, remoteId: string): boolean {
  return selfId > remoteId
}
