import { spawn } from 'node:child_process'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Libp2p, Stream } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { FramedStream } from '../../src/main/core/p2p/framed-stream'
import { MAX_ROOM_FRAME_BYTES, ROOM_PROTOCOL } from '../../src/main/core/p2p/protocols/room/constants'
import { AfterAuth, AfterHello } from '../../src/main/core/p2p/protocols/room/messages'
import { newInstanceId, newNonce, roomProof } from '../../src/main/core/p2p/protocols/room/proof'
import { parseInvite } from '../../src/shared/invite'
import { bundleForTest } from './bundle'
import { REPO_ROOT } from './host-process'

/** A bare libp2p node that speaks our protocols by hand (or not at all): it can say anything. */
export async function bareNode(): Promise<Libp2p> {
  return createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() }
  })
}

/**
 * A peer that keeps `streams` streams of `protocol` open to `target` and says nothing on them;
 * whenever one is closed, it opens another. `stop()` ends the attack and the node.
 */
export async function silentStreams(
  target: Multiaddr[],
  protocol: string,
  streams: number
): Promise<{ opened(): number; stop(): Promise<void> }> {
  const node = await bareNode()
  let stopped = false
  let opened = 0
  const keepOne = async (): Promise<void> => {
    while (!stopped) {
      let stream: Stream
      try {
        stream = await node.dialProtocol(target, protocol, { signal: AbortSignal.timeout(5_000) })
        opened++
      } catch {
        await new Promise((r) => setTimeout(r, 50))
        continue
      }
      await new Promise<void>((resolve) => {
        if (stream.status !== 'open') return resolve()
        stream.addEventListener('close', () => resolve(), { once: true })
      })
    }
  }
  const loops = Array.from({ length: streams }, () => keepOne())
  return {
    opened: () => opened,
    async stop() {
      stopped = true
      await node.stop()
      await Promise.allSettled(loops)
    }
  }
}

/**
 * Join a meeting honestly as a guest, by hand (hello, proof of the room key, a guest
 * presentation), and keep the session stream: from then on the node can send any frame a
 * member can.
 */
export async function joinByHand(
  node: Libp2p,
  target: { peerId(): string; core: { rooms: { libp2p: { getMultiaddrs(): Multiaddr[] } | null } | null } },
  invite: string
): Promise<FramedStream> {
  const { roomId, roomKey } = parseInvite(invite)
  const f = new FramedStream(await node.dialProtocol(target.core.rooms!.libp2p!.getMultiaddrs(), ROOM_PROTOCOL), {
    maxFrameBytes: MAX_ROOM_FRAME_BYTES,
    readTimeoutMs: 5_000,
    writeTimeoutMs: 5_000
  })
  const nonce = newNonce()
  const instance = newInstanceId()
  await f.write({ t: 'hello', v: 1, room: roomId, nonce, instance })
  const challenge = await f.read(AfterHello)
  if (challenge.t !== 'challenge') throw new Error(challenge.reason)
  const t = {
    roomId,
    initiator: node.peerId.toString(),
    responder: target.peerId(),
    initiatorNonce: nonce,
    responderNonce: challenge.nonce,
    initiatorInstance: instance,
    responderInstance: challenge.instance
  }
  await f.write({ t: 'auth', proof: roomProof(roomKey, 'initiator', t), presentation: { kind: 'test-guest', displayName: 'Fuzz' } })
  const welcome = await f.read(AfterAuth)
  if (welcome.t !== 'welcome') throw new Error(`expected welcome, got ${welcome.t}`)
  await f.write({ t: 'ready' })
  return f
}

/** `peers` strangers holding `streams` silent streams each, in a child process; resolves once they all are open. */
export async function spawnSilentAttack(
  target: Multiaddr[],
  protocol: string,
  peers: number,
  streams: number
): Promise<{ stop(): Promise<void> }> {
  const script = await bundleForTest('test/support/attacker-child.ts')
  const args = [
    script,
    ...target.flatMap((a) => ['--target', a.toString()]),
    '--protocol',
    protocol,
    '--peers',
    String(peers),
    '--streams',
    String(streams)
  ]
  // Niced: on one machine the attackers' own CPU would slow everyone down, which real attackers
  // on their own machines do not; what they cost the member they attack still counts.
  const child = spawn('nice', ['-n', '19', process.execPath, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the attackers did not get going within 30 s:\n${out}`)), 30_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (!out.includes('ATTACKING')) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    void exited.then(() => reject(new Error(`the attackers exited:\n${out}`)))
  })
  return {
    async stop() {
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(killer)
    }
  }
}
