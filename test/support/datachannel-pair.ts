import { RTCPeerConnection } from 'node-datachannel/polyfill'

/** The RTCIceServer fields the polyfill reads. */
export interface WebRtcIceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

interface Channel {
  onopen: (() => void) | null
  onmessage: ((m: { data: unknown }) => void) | null
  send(text: string): void
}
interface Description {
  type: string
  sdp: string
}
interface Peer {
  onicecandidate: ((e: { candidate: unknown }) => void) | null
  ondatachannel: ((e: { channel: Channel }) => void) | null
  readonly iceConnectionState: string
  readonly localDescription: Description | null
  addIceCandidate(c: unknown): Promise<void>
  createDataChannel(label: string): Channel
  createOffer(): Promise<Description>
  createAnswer(): Promise<Description>
  setLocalDescription(d: Description): Promise<void>
  setRemoteDescription(d: Description): Promise<void>
  close(): void
}

/**
 * Two real WebRTC peers in this process (libdatachannel, the stack under libp2p's own WebRTC
 * transport) that may only use relayed candidates: they connect, and a message crosses, only if
 * the TURN server takes the credential. Resolves with the message received.
 */
export async function relayOnlyDataChannel(iceServers: WebRtcIceServer[], timeoutMs = 15_000): Promise<string> {
  // The polyfill is typed with DOM types, which the Node side of this project does not load.
  const config = { iceServers: forLibdatachannel(iceServers), iceTransportPolicy: 'relay' } as never
  const a = new RTCPeerConnection(config) as unknown as Peer
  const b = new RTCPeerConnection(config) as unknown as Peer
  try {
    a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate).catch(() => undefined)
    b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => undefined)
    const received = new Promise<string>((resolve) => {
      b.ondatachannel = (e) => {
        e.channel.onmessage = (m) => resolve(String(m.data))
      }
    })
    const channel = a.createDataChannel('probe')
    channel.onopen = () => channel.send('through the relay')
    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription!)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription!)
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no message through TURN within ${timeoutMs} ms (ICE ${a.iceConnectionState}/${b.iceConnectionState})`)),
        timeoutMs
      )
    })
    try {
      return await Promise.race([received, timeout])
    } finally {
      clearTimeout(timer)
    }
  } finally {
    a.close()
    b.close()
  }
}

/**
 * libdatachannel's RTCPeerConnection polyfill folds each server into one URL
 * (`turn:USER:PASS@host:port`) and parses it back, URL-decoding the two: a TURN REST username
 * (`expiry:name`) or a base64 password holds ':', '/', '+' or '=', which that parse splits
 * wrongly unless escaped (the server is then silently dropped).
 */
function forLibdatachannel(servers: WebRtcIceServer[]): WebRtcIceServer[] {
  return servers.map((s) => ({
    urls: s.urls,
    ...(s.username !== undefined ? { username: encodeURIComponent(s.username) } : {}),
    ...(s.credential !== undefined ? { credential: encodeURIComponent(s.credential) } : {})
  }))
}
