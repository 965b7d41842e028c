import { spawn } from 'node:child_process'
import path from 'node:path'
import { stopChild } from '../../support/procs'
import { LEAK_NFLOG_GROUP } from './network'
import { sh } from './shell'

export interface Capture {
  readonly file: string
  /** Stop recording (idempotent); resolves once the file is complete. */
  stop(): Promise<void>
  /** The packets as tcpdump prints them, one line each (`filter`: a pcap filter, e.g. 'udp'). */
  summary(filter?: string): string[]
  /** Every payload byte as text, to search for what must never cross in the clear. */
  payloadText(filter?: string): string
}

/** tcpdump on the internet bridge: every packet between homes, relays and public hosts. */
export function startCapture(internetNs: string, dir: string): Promise<Capture> {
  return tcpdump(internetNs, 'br0', path.join(dir, 'internet.pcap'))
}

/**
 * The packets the world gateway dropped because they were addressed outside the lab (copied
 * to NFLOG by the rule before its DROP; the bridge itself never shows them, as they are dropped
 * before they reach it).
 */
export function startLeakLog(internetNs: string, dir: string): Promise<Capture> {
  return tcpdump(internetNs, `nflog:${LEAK_NFLOG_GROUP}`, path.join(dir, 'leaks.pcap'))
}

async function tcpdump(internetNs: string, device: string, file: string): Promise<Capture> {
  // -U: write each packet as it comes; -Z root: keep the rights to write into our temp dir.
  const child = spawn('ip', ['netns', 'exec', internetNs, 'tcpdump', '-i', device, '-s', '0', '-U', '-Z', 'root', '-w', file], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 10_000)
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (stderr.includes('listening on')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`tcpdump exited (${code}): ${stderr}`))
    })
  })
  const read = (args: string[], filter?: string) => sh('tcpdump', ['-nn', '-r', file, ...args, ...(filter ? [filter] : [])])
  return {
    file,
    async stop() {
      await stopChild(child, exited, 'SIGINT', 5_000)
    },
    summary: (filter) => read([], filter).split('\n').filter(Boolean),
    payloadText: (filter) => read(['-A'], filter)
  }
}
