// The two peers of datachannel-pair.ts, in a process of their own: libdatachannel can block the
// thread that closes a peer connection for good (a lock it waits on inside the library), and a
// blocked test process never reaches its own timeout. Argument: JSON { iceServers, timeoutMs }.
// Prints one JSON line, {"message": ...} or {"error": ...}, then closes the peers and exits.
import { RTCPeerConnection } from 'node-datachannel/polyfill'

const { iceServers, timeoutMs } = JSON.parse(process.argv[2] ?? '{}')
const config = { iceServers, iceTransportPolicy: 'relay' }
const a = new RTCPeerConnection(config)
const b = new RTCPeerConnection(config)
let answer
try {
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate).catch(() => undefined)
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate).catch(() => undefined)
  const received = new Promise((resolve) => {
    b.ondatachannel = (e) => {
      e.channel.onmessage = (m) => resolve(String(m.data))
    }
  })
  const channel = a.createDataChannel('probe')
  channel.onopen = () => channel.send('through the relay')
  await a.setLocalDescription(await a.createOffer())
  await b.setRemoteDescription(a.localDescription)
  await b.setLocalDescription(await b.createAnswer())
  await a.setRemoteDescription(b.localDescription)
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no message through TURN within ${timeoutMs} ms (ICE ${a.iceConnectionState}/${b.iceConnectionState})`)),
      timeoutMs
    )
  })
  answer = { message: await Promise.race([received, timeout]) }
  clearTimeout(timer)
} catch (err) {
  answer = { error: err instanceof Error ? err.message : String(err) }
}
// The answer first: if closing blocks, the test has it already and ends this process.
process.stdout.write(JSON.stringify(answer) + '\n', () => {
  a.close()
  b.close()
  process.exit(0)
})
