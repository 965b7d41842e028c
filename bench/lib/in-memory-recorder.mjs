// The baseline for the recording benchmark: what a browser-only recorder does (MediaRecorder
// chunks pushed into an array, one Blob written at the end), as a process that receives the
// same chunks over the same WebSocket wire format as our core. Prints its port, then serves.
import { writeFileSync } from 'node:fs'
import { WebSocketServer } from 'ws'

const out = process.argv[2]
const chunks = []
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 8 * 1024 * 1024 })
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString())
    const reply = (value) => ws.send(JSON.stringify({ type: 'response', id: frame.id, ok: true, value }))
    if (frame.method === 'recording.chunk') {
      chunks.push(Buffer.from(frame.payload.bytes.$bytes, 'base64'))
      reply({ seq: frame.payload.seq })
    } else if (frame.method === 'recording.stop') {
      writeFileSync(out, Buffer.concat(chunks))
      reply({ bytes: chunks.reduce((n, c) => n + c.length, 0) })
    } else reply({})
  })
})
wss.on('listening', () => process.stdout.write(`port ${wss.address().port}\n`))
