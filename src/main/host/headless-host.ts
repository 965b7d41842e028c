import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { WS_BRIDGE_PATH, WS_MAX_FRAME_BYTES, WS_PATH } from '../../shared/contract/ws-protocol'
import { contentSecurityPolicy } from '../../shared/security/csp'
import type { Core } from '../core/core'
import type { Logger } from '../core/log'
import { readStaticFile } from './static-files'
import { attachWsConnection } from './ws-connection'

export interface HeadlessHostOptions {
  core: Core
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** The built WebSocket bridge script (out/bridge/ws-bridge.js). */
  bridgeFile: string
  port?: number
  log: Logger
  limits?: Partial<HostLimits>
}

export interface HostLimits {
  /** A connection that has not become an authenticated WebSocket is closed after this long idle. */
  idleTimeoutMs: number
  /** At most this many such connections at once; a new one closes the oldest. */
  maxPendingSockets: number
}

export const DEFAULT_HOST_LIMITS: HostLimits = { idleTimeoutMs: 10_000, maxPendingSockets: 32 }

export interface HeadlessHost {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

/**
 * Serves the renderer and carries the contract over a WebSocket on 127.0.0.1 only. A random
 * per-launch token (in the printed URL) and an exact Origin check keep other local pages and
 * processes from driving the core; an exact Host check keeps pages of other sites out even when
 * their name resolves to 127.0.0.1 (DNS rebinding); connections that never authenticate are
 * few and short-lived.
 */
export async function startHeadlessHost(options: HeadlessHostOptions): Promise<HeadlessHost> {
  const limits = { ...DEFAULT_HOST_LIMITS, ...options.limits }
  const token = randomBytes(24).toString('base64url')
  const server = http.createServer({ headersTimeout: limits.idleTimeoutMs, requestTimeout: 3 * limits.idleTimeoutMs })
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES })
  const sockets = new Set<WebSocket>()
  // Connections that are not (yet) an authenticated WebSocket, oldest first.
  const pending = new Set<Socket>()
  let origins: string[] = []
  let hosts: string[] = []

  server.on('connection', (socket: Socket) => {
    if (pending.size >= limits.maxPendingSockets) {
      const oldest = pending.values().next().value
      if (oldest) {
        pending.delete(oldest)
        oldest.destroy()
      }
    }
    pending.add(socket)
    socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy())
    socket.once('close', () => pending.delete(socket))
  })

  const ownHost = (req: http.IncomingMessage) => hosts.includes((req.headers.host ?? '').toLowerCase())

  server.on('request', (req, res) => {
    if (!ownHost(req)) {
      res.writeHead(421, { 'content-type': 'text/plain', connection: 'close' }).end('Not this host')
      return
    }
    void serveHttp(req, res).catch((err: unknown) => {
      options.log.error('http request failed', err)
      if (!res.headersSent) res.writeHead(500).end()
    })
  })

  async function serveHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end()
      return
    }
    const urlPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const file =
      urlPath === WS_BRIDGE_PATH
        ? { body: await readFile(options.bridgeFile), contentType: 'text/javascript; charset=utf-8' }
        : await readStaticFile(options.rendererDir, urlPath)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found')
      return
    }
    let body = file.body
    if (file.contentType.startsWith('text/html')) body = Buffer.from(injectBridge(body.toString('utf8')))
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-security-policy': contentSecurityPolicy({ connect: origins.map((o) => o.replace(/^http/, 'ws')) }),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
      'cross-origin-opener-policy': 'same-origin'
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, why: string) => {
      options.log.warn(`refused WebSocket: ${why}`)
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`)
    }
    if (!ownHost(req)) return refuse(421, `host ${(req.headers.host ?? '(none)').slice(0, 100)}`)
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== WS_PATH) return refuse(404, `path ${url.pathname}`)
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(401, 'missing or wrong token')
    const origin = req.headers.origin
    if (!origin || !origins.includes(origin)) return refuse(403, `origin ${origin ?? '(none)'}`)
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Authenticated: the renderer's socket may stay quiet for as long as it likes.
      const raw = socket as Socket
      pending.delete(raw)
      raw.setTimeout(0)
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      attachWsConnection(ws, options.core, options.log)
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`]
  origins = hosts.map((h) => `http://${h}`)

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The bridge must define window.dym before the renderer's module scripts run. */
function injectBridge(html: string): string {
  const tag = `<script src="${WS_BRIDGE_PATH}"></script>`
  const at = html.indexOf('<script')
  return at === -1 ? html.replace('</head>', `${tag}</head>`) : html.slice(0, at) + tag + '\n    ' + html.slice(at)
}
