import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/** The RTCIceServer fields the polyfill reads. */
export interface WebRtcIceServer {
  urls: string | string[]
  username?: string
  credential?: string
}

const PROBE = fileURLToPath(new URL('./datachannel-probe.mjs', import.meta.url))
/** What the probe gets beyond its own timeout to start, answer and exit before it is killed. */
const PROBE_GRACE_MS = 10_000

/**
 * Two real WebRTC peers (libdatachannel, the stack under libp2p's own WebRTC transport) that may
 * only use relayed candidates: they connect, and a message crosses, only if the TURN server
 * takes the credential. Resolves with the message received. The peers run in a child process
 * (datachannel-probe.mjs), which is killed once it answered or ran out of time: libdatachannel
 * can block the thread that closes them, which would stop a test process for good.
 */
export function relayOnlyDataChannel(iceServers: WebRtcIceServer[], timeoutMs = 15_000): Promise<string> {
  const child = spawn(process.execPath, [PROBE, JSON.stringify({ iceServers: forLibdatachannel(iceServers), timeoutMs })], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`the data channel probe gave no answer within ${timeoutMs + PROBE_GRACE_MS} ms`)),
      timeoutMs + PROBE_GRACE_MS
    )
    const done = (result: Error | string) => {
      clearTimeout(timer)
      lines.close()
      // It answered (or never will): whatever it still does, closing included, is not waited for.
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref()
      if (typeof result === 'string') resolve(result)
      else reject(result)
    }
    const lines = createInterface({ input: child.stdout! })
    // Its answer is the one JSON line; anything else the library prints there is passed over.
    lines.on('line', (line) => {
      let answer: { message?: string; error?: string }
      try {
        answer = JSON.parse(line) as typeof answer
      } catch {
        return
      }
      done(answer.message ?? new Error(answer.error ?? 'the data channel probe gave no answer'))
    })
    child.once('close', (code) => done(new Error(`the data channel probe ended (${String(code)}) without an answer`)))
  })
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
