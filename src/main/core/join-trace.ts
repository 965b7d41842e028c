import type { EventName } from '../../shared/contract/index'

const MAX_LINES = 400

/**
 * The core's side of a join, for the join bench (`DYM_JOIN_TRACE=1`): the meeting requests and
 * events a join waits on, each written to stderr as `join-trace <epoch ms> <what>` the first time
 * it happens (per kind and peer), at most MAX_LINES. Epoch milliseconds are the page probe's
 * clock too, so one join reads as one timeline across pages and cores. Off unless asked for.
 */
export class JoinTrace {
  private readonly seen = new Set<string>()

  constructor(private readonly write: (line: string) => void) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): JoinTrace | null {
    return env.DYM_JOIN_TRACE === '1' ? new JoinTrace((line) => process.stderr.write(line)) : null
  }

  /** A request came in from the page. */
  request(method: string, req: unknown): void {
    const what = describeRequest(method, req)
    if (what) this.mark(`${what} asked`)
  }

  /** A request was answered (for signal.send: handed to the other member's core). */
  answered(method: string, req: unknown): void {
    const what = describeRequest(method, req)
    if (what) this.mark(`${what} answered`)
  }

  /** A step of the room handshake or of forming the mesh, naming peers by their full id. */
  step(what: string): void {
    this.mark(what)
  }

  event(event: EventName, payload: unknown): void {
    const p = payload as { from?: string; signal?: unknown; members?: unknown[] }
    if (event === 'signal.received') this.mark(`received ${signalKind(p.signal)} ${p.from ?? ''}`)
    else if (event === 'room.updated') this.mark(`room.updated ${Array.isArray(p.members) ? p.members.length : '?'}`)
  }

  private mark(what: string): void {
    if (this.seen.has(what) || this.seen.size >= MAX_LINES) return
    this.seen.add(what)
    this.write(`join-trace ${Date.now()} ${what}\n`)
  }
}

function describeRequest(method: string, req: unknown): string | null {
  if (method === 'room.join' || method === 'room.create') return method
  if (method !== 'signal.send') return null
  const r = req as { to?: string; signal?: unknown }
  return `send ${signalKind(r.signal)} ${r.to ?? ''}`
}

function signalKind(signal: unknown): string {
  const s = signal as { kind?: string; description?: { type?: string } } | undefined
  return (s?.kind === 'description' ? s.description?.type : s?.kind) ?? '?'
}

/** This process's join trace (null unless asked for): the core, the room protocol and the mesh write to it. */
export const joinTrace: JoinTrace | null = JoinTrace.fromEnv()
