// Runs inside a lab namespace: node nat-probe-child.mjs <listen ms> <ip:port>...
// From ONE UDP socket, asks each STUN server what address it sees (XOR-MAPPED-ADDRESS, RFC 8489),
// prints that as a JSON line, then for <listen ms> prints a line for every other packet that
// reaches the socket (an outside host trying the mapped port).
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'

const [listenMs, ...servers] = process.argv.slice(2)
const COOKIE = 0x2112a442
const socket = createSocket('udp4')
const pending = new Map<string, (mapped: string) => void>()

socket.on('message', (msg, from) => {
  const id = msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 ? msg.subarray(8, 20).toString('hex') : ''
  const done = pending.get(id)
  if (!done) {
    process.stdout.write(JSON.stringify({ received: `${from.address}:${from.port}`, text: msg.toString('utf8').trim() }) + '\n')
    return
  }
  pending.delete(id)
  for (let at = 20; at + 4 <= msg.length;) {
    const type = msg.readUInt16BE(at)
    const length = msg.readUInt16BE(at + 2)
    if (type === 0x0020 && msg[at + 5] === 0x01) {
      const port = msg.readUInt16BE(at + 6) ^ (COOKIE >>> 16)
      const ip = (msg.readUInt32BE(at + 8) ^ COOKIE) >>> 0
      return done(`${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}:${port}`)
    }
    at += 4 + length + ((4 - (length % 4)) % 4)
  }
  done('')
})

function binding(server: string): Promise<string | null> {
  const [host, port] = server.split(':')
  return new Promise((resolve) => {
    const transaction = randomBytes(12)
    const request = Buffer.alloc(20)
    request.writeUInt16BE(0x0001, 0)
    request.writeUInt32BE(COOKIE, 4)
    transaction.copy(request, 8)
    const timer = setTimeout(() => {
      pending.delete(transaction.toString('hex'))
      resolve(null)
    }, 2000)
    pending.set(transaction.toString('hex'), (mapped) => {
      clearTimeout(timer)
      resolve(mapped)
    })
    socket.send(request, Number(port), host)
  })
}

await new Promise<void>((resolve) => socket.bind(0, resolve))
const mapped: Array<string | null> = []
for (const server of servers) mapped.push(await binding(server))
process.stdout.write(JSON.stringify({ local: socket.address().port, mapped }) + '\n')
setTimeout(() => socket.close(), Number(listenMs))
