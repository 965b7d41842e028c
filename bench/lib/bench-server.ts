import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { WebSocketServer, type WebSocket } from 'ws'

const pagesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'pages')

/**
 * Serves the baseline pages (bench/pages) and a bare WebSocket relay: the minimal signalling
 * server a typical WebRTC app uses. Two sockets with the same ?room= are paired.
 */
export async function startBenchServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname)
    readFile(path.join(pagesDir, name)).then(
      (body) => res.writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' }).end(body),
      () => res.writeHead(404).end()
    )
  })
  const rooms = new Map<string, Set<WebSocket>>()
  const wss = new WebSocketServer({ server, path: '/relay' })
  wss.on('connection', (ws, req) => {
    const room = new URL(req.url ?? '/', 'http://x').searchParams.get('room') ?? ''
    const members = rooms.get(room) ?? new Set()
    rooms.set(room, members)
    members.add(ws)
    // Forward to everyone else in the room; pages ignore what is addressed to someone else.
    ws.on('message', (data) => {
      for (const other of members) if (other !== ws) other.send(data.toString())
    })
    ws.on('close', () => members.delete(ws))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
