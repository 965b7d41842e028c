import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { isIPv6 } from 'node:net'

const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const MAGIC_COOKIE = 0x2112a442

/**
 * One STUN Binding request over UDP (RFC 8489: a 20-byte header, no attributes); resolves
 * when the matching success response arrives. How the relay knows its coturn is up and
 * answering, rather than merely running.
 */
export async function stunBinding(host: string, port: number, timeoutMs: number): Promise<void> {
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4')
  const transaction = randomBytes(12)
  const request = Buffer.alloc(20)
  request.writeUInt16BE(BINDING_REQUEST, 0)
  request.writeUInt16BE(0, 2)
  request.writeUInt32BE(MAGIC_COOKIE, 4)
  transaction.copy(request, 8)
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no STUN answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs)
      socket.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.on('message', (msg) => {
        if (msg.length >= 20 && msg.readUInt16BE(0) === BINDING_SUCCESS && msg.subarray(8, 20).equals(transaction)) {
          clearTimeout(timer)
          resolve()
        }
      })
      socket.send(request, port, host)
    })
  } finally {
    socket.close()
  }
}
