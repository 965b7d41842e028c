/**
 * Strangers holding silent streams, in a process of their own (as real attackers would be on
 * their own machines, not sharing the target's event loop). Started by `spawnSilentAttack`
 * (attackers.ts); prints `ATTACKING` once every stream is open; SIGTERM stops it.
 */
import { parseArgs } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { silentStreams } from './attackers'

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    target: { type: 'string', multiple: true },
    protocol: { type: 'string' },
    peers: { type: 'string' },
    streams: { type: 'string' }
  },
  strict: true
})
const target = (values.target ?? []).map((a) => multiaddr(a))
const attacks = await Promise.all(
  Array.from({ length: Number(values.peers) }, () => silentStreams(target, values.protocol ?? '', Number(values.streams)))
)
const everyone = Number(values.peers) * Number(values.streams)
const ready = setInterval(() => {
  if (attacks.reduce((n, a) => n + a.opened(), 0) < everyone) return
  clearInterval(ready)
  process.stdout.write('ATTACKING\n')
}, 20)
process.on('SIGTERM', () => void Promise.allSettled(attacks.map((a) => a.stop())).then(() => process.exit(0)))
