/**
 * A call's Opus packets joined into fewer, longer ones for a track file (RFC 6716 3.2.5: one
 * "code 3" packet holds up to 120 ms of frames that share a configuration). A call sends a
 * 20 ms packet 50 times a second per person: three quarters of all the frames a recording
 * takes. The muxer's cost is per packet, not per byte, so six frames in one packet cost the core
 * about a sixth. A decoder reads such a packet as the frames in it, so the sound is the same,
 * sample for sample.
 *
 * Only single-frame packets (code 0) in a row are joined: same TOC byte (mode, bandwidth, frame
 * size, stereo), each starting where the one before ended. Anything else (a gap, a change of
 * configuration, a packet that is already several frames, an empty frame) closes the packet
 * being built and goes on as it came.
 */

export interface OpusPacket {
  /** microseconds on the meeting clock */
  timeUs: number
  durationUs: number
  data: Uint8Array
}

const MAX_PACKET_US = 120_000
/** How far a frame's time may be from where the one before ended and still follow it. */
const FOLLOWS_WITHIN_US = 1_000
const MAX_FRAME_BYTES = 1275

/** Microseconds of each frame in a packet with this TOC byte (RFC 6716 3.1, table 2). */
export function opusFrameUs(toc: number): number {
  const config = toc >> 3
  if (config < 12) return [10_000, 20_000, 40_000, 60_000][config & 3]!
  if (config < 16) return (config & 1) === 0 ? 10_000 : 20_000
  return [2_500, 5_000, 10_000, 20_000][config & 3]!
}

/** Microseconds of a whole packet (its frame count from the TOC byte, and for code 3 the next byte). */
export function opusPacketUs(packet: Uint8Array): number {
  const toc = packet[0] ?? 0
  const code = toc & 3
  const frames = code === 0 ? 1 : code < 3 ? 2 : (packet[1] ?? 0) & 0x3f
  return frames * opusFrameUs(toc)
}

/** A frame length in a code 3 packet: one byte below 252, else two (RFC 6716 3.2.1). */
function lengthBytes(length: number): number[] {
  if (length < 252) return [length]
  const first = 252 + (length & 3)
  return [first, (length - first) >> 2]
}

/**
 * Single-frame packets (code 0) of one TOC byte as one code 3 packet: the TOC, the frame count,
 * the length of each frame but the last when their sizes differ, then the frames.
 */
export function joinOpusPackets(packets: readonly Uint8Array[]): Uint8Array {
  const sizes = packets.map((p) => p.byteLength - 1)
  const sameSize = sizes.every((size) => size === sizes[0])
  const header = [(packets[0]![0]! & 0xfc) | 3, sameSize ? packets.length : 0x80 | packets.length]
  if (!sameSize) for (const size of sizes.slice(0, -1)) header.push(...lengthBytes(size))
  const out = new Uint8Array(header.length + sizes.reduce((sum, size) => sum + size, 0))
  out.set(header, 0)
  let at = header.length
  for (const p of packets) {
    out.set(p.subarray(1), at)
    at += p.byteLength - 1
  }
  return out
}

/** Builds joined packets as a track's packets come; `take` closes the one being built. */
export class OpusPacketJoiner {
  private toc = -1
  private startUs = 0
  private packets: Uint8Array[] = []

  /** Adds a packet; answers the packets it closed: the one being built, this one as it came, or none. */
  add(timeUs: number, packet: Uint8Array): OpusPacket[] {
    const toc = packet[0]!
    // A single frame, not empty (a lost or silent frame is one byte).
    const joinable = (toc & 3) === 0 && packet.byteLength > 1 && packet.byteLength - 1 <= MAX_FRAME_BYTES
    if (joinable && this.follows(toc, timeUs)) {
      this.packets.push(packet)
      return []
    }
    const closed: OpusPacket[] = []
    const built = this.take()
    if (built) closed.push(built)
    if (joinable) {
      this.toc = toc
      this.startUs = timeUs
      this.packets = [packet]
    } else closed.push({ timeUs, durationUs: opusPacketUs(packet), data: packet })
    return closed
  }

  /** The packet being built, if any. */
  take(): OpusPacket | null {
    const packets = this.packets
    if (packets.length === 0) return null
    this.packets = []
    return {
      timeUs: this.startUs,
      durationUs: packets.length * opusFrameUs(this.toc),
      data: packets.length === 1 ? packets[0]! : joinOpusPackets(packets)
    }
  }

  private follows(toc: number, timeUs: number): boolean {
    if (this.packets.length === 0 || toc !== this.toc) return false
    const frameUs = opusFrameUs(toc)
    const endUs = this.startUs + this.packets.length * frameUs
    return Math.abs(timeUs - endUs) <= FOLLOWS_WITHIN_US && (this.packets.length + 1) * frameUs <= MAX_PACKET_US
  }
}
