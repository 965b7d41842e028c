import { readFileSync } from 'node:fs'

/**
 * Reads a tcpdump capture of the internet segment (Ethernet frames, IPv4 and IPv6) and sorts
 * every UDP payload by its first byte, as WebRTC itself demultiplexes one port (RFC 7983):
 * STUN (0-3), DTLS (20-63), TURN ChannelData (64-79, unwrapped and sorted again), RTP/RTCP
 * (128-191: SRTP, keyed by the DTLS handshake). TURN Send/Data indications are unwrapped too.
 * Anything else on UDP is a protocol in the clear that should not be there.
 */
export interface CiphertextCheck {
  counts: { packets: number; udp: number; tcp: number; stun: number; dtls: number; srtp: number; other: number }
  /** which of the given secrets appear in any payload, byte for byte */
  found: string[]
  /** the first few UDP payloads of no known kind: "src > dst: first bytes" */
  unexpectedUdp: string[]
}

interface Packet {
  src: string
  dst: string
  proto: number
  sport: number
  dport: number
  payload: Buffer
}

export function ciphertextOnly(file: string, secrets: string[]): CiphertextCheck {
  const counts = { packets: 0, udp: 0, tcp: 0, stun: 0, dtls: 0, srtp: 0, other: 0 }
  const found = new Set<string>()
  const unexpectedUdp: string[] = []
  const needles = secrets.map((s) => [s, Buffer.from(s)] as const)
  for (const p of readPackets(file)) {
    counts.packets++
    for (const [s, b] of needles) if (p.payload.includes(b)) found.add(s)
    if (p.proto === 6) counts.tcp++
    if (p.proto !== 17) continue
    counts.udp++
    const kind = classify(p.payload)
    counts[kind]++
    if (kind === 'other' && unexpectedUdp.length < 10) {
      unexpectedUdp.push(`${p.src}.${p.sport} > ${p.dst}.${p.dport}: ${p.payload.subarray(0, 16).toString('hex')}`)
    }
  }
  return { counts, found: [...found], unexpectedUdp }
}

type Kind = 'stun' | 'dtls' | 'srtp' | 'other'

function classify(data: Buffer, depth = 0): Kind {
  if (data.length === 0 || depth > 2) return 'other'
  const first = data[0]!
  if (first <= 3 && data.length >= 20 && data.readUInt32BE(4) === 0x2112a442) {
    const inner = stunData(data)
    return inner ? classify(inner, depth + 1) : 'stun'
  }
  if (first >= 20 && first <= 63) return 'dtls'
  if (first >= 64 && first <= 79 && data.length >= 4) return classify(data.subarray(4, 4 + data.readUInt16BE(2)), depth + 1)
  if (first >= 128 && first <= 191) return 'srtp'
  return 'other'
}

/** The DATA attribute of a TURN Send (0x0016) or Data (0x0017) indication. */
function stunData(msg: Buffer): Buffer | null {
  const type = msg.readUInt16BE(0)
  if (type !== 0x0016 && type !== 0x0017) return null
  const end = Math.min(msg.length, 20 + msg.readUInt16BE(2))
  for (let at = 20; at + 4 <= end;) {
    const attr = msg.readUInt16BE(at)
    const len = msg.readUInt16BE(at + 2)
    if (attr === 0x0013) return msg.subarray(at + 4, at + 4 + len)
    at += 4 + Math.ceil(len / 4) * 4
  }
  return null
}

function* readPackets(file: string): Generator<Packet> {
  const buf = readFileSync(file)
  if (buf.length < 24) return
  const magic = buf.readUInt32LE(0)
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file} is not a pcap file`)
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at))
  const linktype = u32(20)
  if (linktype !== 1) throw new Error(`${file}: link type ${linktype}, expected Ethernet`)
  for (let at = 24; at + 16 <= buf.length;) {
    const len = u32(at + 8)
    const frame = buf.subarray(at + 16, at + 16 + len)
    at += 16 + len
    const packet = parseEthernet(frame)
    if (packet) yield packet
  }
}

function parseEthernet(frame: Buffer): Packet | null {
  if (frame.length < 14) return null
  let type = frame.readUInt16BE(12)
  let at = 14
  if (type === 0x8100 && frame.length >= 18) {
    type = frame.readUInt16BE(16)
    at = 18
  }
  if (type === 0x0800) {
    const ihl = (frame[at]! & 0x0f) * 4
    const total = frame.readUInt16BE(at + 2)
    const ip = (o: number) => [...frame.subarray(at + o, at + o + 4)].join('.')
    return transport(frame.subarray(at + ihl, at + total), frame[at + 9]!, ip(12), ip(16))
  }
  if (type === 0x86dd) {
    const len = frame.readUInt16BE(at + 4)
    const ip = (o: number) =>
      (
        frame
          .subarray(at + o, at + o + 16)
          .toString('hex')
          .match(/.{4}/g) ?? []
      ).join(':')
    // Extension headers are not followed: the lab sends none.
    return transport(frame.subarray(at + 40, at + 40 + len), frame[at + 6]!, ip(8), ip(24))
  }
  return null
}

function transport(seg: Buffer, proto: number, src: string, dst: string): Packet | null {
  if (proto === 17 && seg.length >= 8) {
    return { src, dst, proto, sport: seg.readUInt16BE(0), dport: seg.readUInt16BE(2), payload: seg.subarray(8) }
  }
  if (proto === 6 && seg.length >= 20) {
    const offset = (seg[12]! >> 4) * 4
    return { src, dst, proto, sport: seg.readUInt16BE(0), dport: seg.readUInt16BE(2), payload: seg.subarray(offset) }
  }
  return { src, dst, proto, sport: 0, dport: 0, payload: seg }
}
