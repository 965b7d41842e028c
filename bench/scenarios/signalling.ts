import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'
import type { EventOf, SignalPayload } from '../../src/shared/contract/index'
import { benchCore, inTurns, stopCore } from '../lib/bench-core'
import type { Scenario, ScenarioReport } from '../lib/types'

/**
 * Joining a meeting and signalling over libp2p, against a bare WebSocket on the same loopback
 * in the same run: the WebSocket is what a signalling server would give (minus the server).
 * - join: `room.join` from a fresh node (dial, Noise, yamux, key proof both ways, identities,
 *   welcome) vs. a fresh WebSocket connection plus one request/answer
 * - signalling round trip: an SDP-sized message there and back on the open long-lived stream
 *   vs. the same bytes echoed on an open WebSocket
 */
const JOIN_SAMPLES = 15
const RTT_SAMPLES = 40
const WARMUP = 3
const SDP = 'v=0\r\n' + 'a=candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host\r\n'.repeat(40)

/** One way of joining and signalling, one sample at a time, so the two can take turns. */
interface Path {
  join(i: number): Promise<number>
  rtt(i: number): Promise<number>
  close(): Promise<void>
}

async function libp2pPath(): Promise<Path> {
  const host = await benchCore('Host')
  const room = await host.invoke('room.create', { title: 'Bench' })
  // Round trips between two members on their long-lived signalling stream.
  const peer = await benchCore('Peer')
  await peer.invoke('room.join', { invite: room.invite })
  const peerId = peer.core.rooms!.libp2p!.peerId.toString()
  // The host links the session a moment after the joiner's join resolves.
  while (!(await host.invoke('room.current', {}))?.members.some((m) => m.peerId === peerId && m.presence === 'present')) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  // The peer answers every offer straight back, as a renderer would with its answer.
  peer.core.onEvent((event, payload) => {
    if (event !== 'signal.received') return
    const p = payload as EventOf<'signal.received'>
    void peer.invoke('signal.send', {
      roomId: room.roomId,
      to: p.from,
      signal: { kind: 'description', description: { type: 'answer', sdp: p.signal.kind === 'description' ? p.signal.description.sdp : '' } }
    })
  })
  return {
    async join(i) {
      const guest = await benchCore(`Guest ${i}`)
      const t = performance.now()
      await guest.invoke('room.join', { invite: room.invite })
      const ms = performance.now() - t
      await guest.invoke('room.leave', { roomId: room.roomId })
      await stopCore(guest)
      return ms
    },
    async rtt(i) {
      const offer: SignalPayload = { kind: 'description', description: { type: 'offer', sdp: `${SDP}a=bench:${i}\r\n` } }
      const answered = host.next(
        'signal.received',
        (s) => s.from === peerId && s.signal.kind === 'description' && s.signal.description.sdp.endsWith(`a=bench:${i}\r\n`)
      )
      const t = performance.now()
      await host.invoke('signal.send', { roomId: room.roomId, to: peerId, signal: offer })
      await answered
      return performance.now() - t
    },
    async close() {
      await stopCore(peer)
      await stopCore(host)
    }
  }
}

async function webSocketPath(): Promise<Path> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)))
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`
  const roundTrip = (ws: WebSocket, text: string) =>
    new Promise<void>((resolve) => {
      ws.once('message', () => resolve())
      ws.send(text)
    })
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })
  const longLived = await open()
  return {
    async join(i) {
      const t = performance.now()
      const ws = await open()
      await roundTrip(ws, JSON.stringify({ join: 'room', name: `Guest ${i}` }))
      const ms = performance.now() - t
      ws.close()
      return ms
    },
    async rtt(i) {
      const t = performance.now()
      await roundTrip(longLived, JSON.stringify({ kind: 'description', description: { type: 'offer', sdp: `${SDP}a=bench:${i}\r\n` } }))
      return performance.now() - t
    },
    async close() {
      longLived.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

export const signalling: Scenario = {
  name: 'signalling',
  async run(): Promise<ScenarioReport> {
    const errors: string[] = []
    const [p2pPath, wsPath] = await Promise.all([libp2pPath(), webSocketPath()])
    let joins, rtts
    try {
      joins = await inTurns(
        JOIN_SAMPLES,
        WARMUP,
        (i) => p2pPath.join(i),
        (i) => wsPath.join(i)
      )
      rtts = await inTurns(
        RTT_SAMPLES,
        WARMUP,
        (i) => p2pPath.rtt(i),
        (i) => wsPath.rtt(i)
      )
    } finally {
      await Promise.allSettled([p2pPath.close(), wsPath.close()])
    }
    const p2p = { join: joins.ours, rtt: rtts.ours }
    const ws = { join: joins.base, rtt: rtts.base }
    return {
      scenario: 'signalling',
      errors,
      comparisons: [
        {
          ours: { label: 'join a room (fresh dial, key proof, identities, welcome)', unit: 'ms', samples: p2p.join },
          baseline: { label: 'fresh WebSocket + one request/answer', unit: 'ms', samples: ws.join },
          baselineLabel: 'bare WebSocket on loopback',
          lowerIsBetter: true
        },
        {
          ours: { label: 'signalling round trip (SDP, open stream)', unit: 'ms', samples: p2p.rtt },
          baseline: { label: 'WebSocket echo of the same bytes', unit: 'ms', samples: ws.rtt },
          baselineLabel: 'bare WebSocket echo on loopback',
          lowerIsBetter: true
        }
      ]
    }
  }
}
