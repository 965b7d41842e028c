/** The RTCIceServer fields libp2p's WebRTC transport passes on. */
export interface WebRtcIceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

/**
 * ICE servers as libp2p's WebRTC transport in Node needs them. It runs on libdatachannel, whose
 * RTCPeerConnection polyfill folds each server into one URL (`turn:USER:PASS@host:port`) and
 * parses it back, URL-decoding the two: a TURN REST username (`expiry:name`) or a base64
 * password holds ':', '/', '+' or '=', which that parse splits wrongly unless escaped. Without
 * this the server is silently dropped and no relayed candidate is gathered.
 */
export function forLibdatachannel(servers: WebRtcIceServer[]): WebRtcIceServer[] {
  return servers.map((s) => ({
    urls: s.urls,
    ...(s.username !== undefined ? { username: encodeURIComponent(s.username) } : {}),
    ...(s.credential !== undefined ? { credential: encodeURIComponent(s.credential) } : {})
  }))
}
