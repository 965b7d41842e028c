// Runs inside a lab namespace: node fetch-ice-child.mjs <room key hex> <relay multiaddr>...
import { fetchIceServers } from '../../../src/main/core/p2p/protocols/ice/index'
import { startBareNode } from '../../support/relay-client'

const [keyHex, ...addrs] = process.argv.slice(2)
const node = await startBareNode()
try {
  const peerId = addrs[0]?.split('/p2p/').at(-1) ?? ''
  const got = await fetchIceServers(node, { peerId, addrs }, new Uint8Array(Buffer.from(keyHex ?? '', 'hex')), AbortSignal.timeout(20_000))
  process.stdout.write(JSON.stringify({ iceServers: got.iceServers, expiresAt: got.expiresAt }))
} catch (err) {
  process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`)
  process.exitCode = 1
} finally {
  await node.stop()
}
