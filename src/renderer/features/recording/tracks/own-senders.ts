/** One of our links sending our microphone or camera now (`S`: its RTCRtpSender), and how big the member there shows it. */
export interface OwnSend<S> {
  sender: S
  peerId: string
  /** pixels of the tile it is shown in (Infinity: not told yet, or audio) */
  pixels: number
}

/**
 * The link to record our microphone or camera from: `current` while it still sends (a switch
 * costs a key frame), else the one that sends the biggest picture; `skip` leaves some out (they
 * gave no key frame when asked).
 */
export function pickOwnSend<S>(sends: ReadonlyArray<OwnSend<S>>, current: S | null, skip: (sender: S) => boolean): OwnSend<S> | null {
  let best: OwnSend<S> | null = null
  for (const send of sends) {
    if (skip(send.sender)) continue
    if (send.sender === current) return send
    if (!best || send.pixels > best.pixels) best = send
  }
  return best
}
