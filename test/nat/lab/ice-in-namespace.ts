import { spawn } from 'node:child_process'
import { bundleForTest } from '../../support/bundle'
import { REPO_ROOT } from '../../support/host-process'

export interface LabIceServers {
  iceServers: Array<{ urls: string[]; username?: string; credential?: string }>
  expiresAt: number
}

/**
 * Ask a relay for ICE servers from inside a namespace: a small node of its own
 * (fetch-ice-child.ts) dials the relay through that network's NAT, proves the meeting key and
 * prints what it got. Rejects with the relay's refusal or the dial error.
 */
export async function fetchIceServersIn(ns: string, relayAddrs: string[], roomKey: Uint8Array): Promise<LabIceServers> {
  const script = await bundleForTest('test/nat/lab/fetch-ice-child.ts')
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, script, Buffer.from(roomKey).toString('hex'), ...relayAddrs], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  if (code !== 0) throw new Error(`fetching ICE servers in ${ns} failed (${code}): ${err.trim()}`)
  return JSON.parse(out) as LabIceServers
}
