import { spawn } from 'node:child_process'
import { bundleForTest } from '../../support/bundle'
import { REPO_ROOT } from '../../support/host-process'

export interface NatProbe {
  /** The local port of the probing socket. */
  local: number
  /** What each STUN server saw ("ip:port"), or null when it did not answer. */
  mapped: Array<string | null>
  /** Resolves, once listening is over, with every other packet that reached the socket ("ip:port"). */
  received: Promise<string[]>
}

/**
 * What a NAT does to one UDP socket inside `ns`: the address each STUN server sees it as (its
 * mapping), and then, for `listenMs`, which unsolicited packets get through to it (its filtering).
 */
export async function probeNat(ns: string, stunServers: string[], listenMs: number): Promise<NatProbe> {
  const script = await bundleForTest('test/nat/lab/nat-probe-child.ts')
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, script, String(listenMs), ...stunServers], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const first = await new Promise<{ local: number; mapped: Array<string | null> }>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line) resolve(JSON.parse(line))
    })
    void exited.then((code) => reject(new Error(`NAT probe in ${ns} exited (${code}) before mapping: ${err}`)))
  })
  const received = exited.then((code) => {
    if (code !== 0) throw new Error(`NAT probe in ${ns} failed (${code}): ${err}`)
    return out
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { received: string }).received)
  })
  received.catch(() => undefined)
  return { ...first, received }
}
