import { base64 } from '@scure/base'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { approvedRedirect, cancelledRedirect, signAttempt, type StatementOverrides } from './phone'
import { ALICE, BOB, CAROL, VECTOR, type TestIdentity } from './test-identities'

/**
 * A local stand-in for ThreeFold's login service, on 127.0.0.1 and a random port:
 * - the directory: GET /api/users/<name>.3bot -> {"doublename", "publicKey"} or 404 "User not found"
 * - the login page: GET /?state&appid&publickey&redirecturl -> redirect as the phone app's
 *   approval (or cancel) would cause, chosen by `setLoginAnswer`
 * - `approve(loginUrl, name)`: the same approval without HTTP, for tests that drive the core
 * plus knobs to make the directory misbehave. The product only ever knows its URL.
 */
export type DirectoryFault =
  | { kind: 'delay'; ms: number }
  | { kind: 'non-json' }
  | { kind: 'oversize'; bytes: number }
  | { kind: 'wrong-key-length' }
  | { kind: 'server-error' }
  | { kind: 'hang' }

export type LoginAnswer = { kind: 'approve'; as: string } | { kind: 'cancel' } | { kind: 'wait' }

export interface ThreefoldStandin {
  readonly url: string
  /** Paths asked for, in order (for assertions about caching and lookups). */
  readonly requests: string[]
  addUser(identity: TestIdentity): void
  /** Change the key the directory lists for a name (a key rotation, or an attack). */
  setUserKey(name: string, publicKey: Uint8Array): void
  removeUser(name: string): void
  setDirectoryFault(fault: DirectoryFault | null): void
  setLoginAnswer(answer: LoginAnswer): void
  /** Approve a login URL (as built by the app) as `name`'s phone would; returns the redirect URL. */
  approve(loginUrl: string, name: string, options?: { data?: unknown; overrides?: StatementOverrides }): string
  /** The redirect a cancel on the phone causes, for a login URL. */
  cancel(loginUrl: string): string
  close(): Promise<void>
}

export async function startThreefoldStandin(options: { users?: TestIdentity[] } = {}): Promise<ThreefoldStandin> {
  const identities = new Map<string, TestIdentity>()
  const listed = new Map<string, Uint8Array>()
  for (const user of options.users ?? [VECTOR, ALICE, BOB, CAROL]) {
    identities.set(user.name, user)
    listed.set(user.name, user.publicKey)
  }
  const requests: string[] = []
  const timers = new Set<NodeJS.Timeout>()
  let fault: DirectoryFault | null = null
  let loginAnswer: LoginAnswer = { kind: 'wait' }

  const identityOf = (name: string) => {
    const user = identities.get(name)
    if (!user) throw new Error(`stand-in: no test identity ${name}`)
    return user
  }

  const approve = (loginUrl: string, name: string, extra: { data?: unknown; overrides?: StatementOverrides } = {}) => {
    const q = new URL(loginUrl).searchParams
    const state = q.get('state') ?? ''
    const appId = q.get('appid') ?? ''
    if (!/^[A-Za-z0-9]+$/.test(state)) throw new Error(`stand-in: the phone app refuses state ${JSON.stringify(state)}`)
    const user = identityOf(name)
    const attempt = signAttempt(user, { state, appId, appPublicKey: q.get('publickey') ?? '', data: extra.data }, extra.overrides)
    return approvedRedirect(appId, q.get('redirecturl') ?? '/', attempt, user.name)
  }
  const cancel = (loginUrl: string) => {
    const q = new URL(loginUrl).searchParams
    return cancelledRedirect(q.get('appid') ?? '', q.get('redirecturl') ?? '/')
  }

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(url.pathname)
    const user = /^\/api\/users\/([^/]+)$/.exec(url.pathname)
    if (user) return serveUser(decodeURIComponent(user[1] ?? '').toLowerCase(), res)
    if (url.pathname === '/') return serveLogin(req, res)
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
  })

  function serveUser(name: string, res: http.ServerResponse): void {
    const current = fault
    if (current?.kind === 'hang') return
    if (current?.kind === 'delay') return later(current.ms, () => answerUser(name, res, null))
    answerUser(name, res, current)
  }

  function answerUser(name: string, res: http.ServerResponse, current: DirectoryFault | null): void {
    if (res.destroyed) return
    if (current?.kind === 'server-error') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service unavailable')
    if (current?.kind === 'non-json')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Maintenance</body></html>')
    if (current?.kind === 'oversize') {
      // Streamed without a length, so the client must count as it reads.
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      let sent = 0
      const pump = () => {
        while (sent < current.bytes) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end('{}')
      }
      res.on('error', () => undefined)
      return pump()
    }
    const key = listed.get(name)
    if (!key) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('User not found')
    const publicKey = current?.kind === 'wrong-key-length' ? base64.encode(key.subarray(0, 31)) : base64.encode(key)
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ doublename: name, publicKey }))
  }

  function serveLogin(req: http.IncomingMessage, res: http.ServerResponse): void {
    const loginUrl = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`).toString()
    if (loginAnswer.kind === 'wait') {
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>ThreeFold Connect</title><h1>Open ThreeFold Connect on your phone</h1>')
      return
    }
    try {
      const location = loginAnswer.kind === 'approve' ? approve(loginUrl, loginAnswer.as) : cancel(loginUrl)
      res.writeHead(302, { location }).end()
    } catch (err) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end((err as Error).message)
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addUser(identity) {
      identities.set(identity.name, identity)
      listed.set(identity.name, identity.publicKey)
    },
    setUserKey: (name, publicKey) => void listed.set(name, publicKey),
    removeUser: (name) => void listed.delete(name),
    setDirectoryFault: (next) => void (fault = next),
    setLoginAnswer: (answer) => void (loginAnswer = answer),
    approve,
    cancel,
    async close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
