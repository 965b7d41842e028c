/**
 * A room member in its own process, so a test can SIGKILL it like a crash would.
 * Bundled and started by `spawnRoomMember` (room-member-process.ts). Prints `JOINED <peerId>`.
 */
import { parseArgs } from 'node:util'
import { hexToBytes } from '@noble/hashes/utils.js'
import { startMember } from './room-members'
import { TestIdentity } from './test-identity'

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { seed: { type: 'string' }, 'display-name': { type: 'string' }, invite: { type: 'string' }, dir: { type: 'string' } },
  strict: true
})
const member = await startMember({
  identity: new TestIdentity({ displayName: values['display-name'] ?? 'Child', seed: hexToBytes(values.seed ?? '') }),
  dir: values.dir
})
await member.invoke('room.join', { invite: values.invite ?? '' })
process.stdout.write(`JOINED ${member.peerId()}\n`)
process.on('SIGTERM', () => void member.stop().then(() => process.exit(0)))
setInterval(() => undefined, 60_000)
