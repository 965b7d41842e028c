/**
 * A batch of encoded media frames as they cross the contract (`recording.frames`): one binary
 * blob, so a batch of a hundred frames is one Uint8Array (structured clone on Electron IPC, one
 * base64 string on the WebSocket) rather than a hundred objects. Each frame is a 16-byte header
 * followed by its bytes:
 *
 *     u16 track   (the number `recording.track` gave)
 *     u8  flags   (bit 0: key frame)
 *     u8  0
 *     u32 length  (bytes of the frame that follow)
 *     f64 time    (microseconds on the meeting clock: since the recording started)
 *
 * All little-endian. Pure code: it runs in the page, the recording worker and the core.
 */
export const FRAME_HEADER_BYTES = 16
/** A frame larger than this is not a camera or screen frame of a call (a 4K key frame is ~1 MB). */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024
export const KEY_FRAME = 1

export interface EncodedFrame {
  track: number
  key: boolean
  /** microseconds since the recording started */
  timeUs: number
  data: Uint8Array
}

/**
 * A batch built as its frames come: each frame's header and bytes go straight into one buffer,
 * which is reused from batch to batch. The recording worker copies about 200 frames a second
 * this way, most of them small audio frames, without an object or a buffer of its own for each.
 */
export class FrameBatchBuilder {
  private buffer: Uint8Array
  private view: DataView
  private at = 0

  constructor(initialBytes = 64 * 1024) {
    this.buffer = new Uint8Array(initialBytes)
    this.view = new DataView(this.buffer.buffer)
  }

  /** Bytes in the batch so far. */
  get byteLength(): number {
    return this.at
  }

  add(track: number, key: boolean, timeUs: number, data: Uint8Array): void {
    const end = this.at + FRAME_HEADER_BYTES + data.byteLength
    if (end > this.buffer.byteLength) this.grow(end)
    const at = this.at
    this.view.setUint16(at, track, true)
    this.view.setUint8(at + 2, key ? KEY_FRAME : 0)
    this.view.setUint8(at + 3, 0)
    this.view.setUint32(at + 4, data.byteLength, true)
    this.view.setFloat64(at + 8, timeUs, true)
    this.buffer.set(data, at + FRAME_HEADER_BYTES)
    this.at = end
  }

  /** The batch so far in a buffer of its own (to transfer or keep); the builder starts the next one. */
  take(): Uint8Array {
    const out = this.buffer.slice(0, this.at)
    this.at = 0
    return out
  }

  private grow(atLeast: number): void {
    let size = this.buffer.byteLength * 2
    while (size < atLeast) size *= 2
    const bigger = new Uint8Array(size)
    bigger.set(this.buffer.subarray(0, this.at))
    this.buffer = bigger
    this.view = new DataView(bigger.buffer)
  }
}

export function packFrames(frames: readonly EncodedFrame[]): Uint8Array {
  const builder = new FrameBatchBuilder(frames.reduce((sum, f) => sum + FRAME_HEADER_BYTES + f.data.byteLength, 0) || 1)
  for (const f of frames) builder.add(f.track, f.key, f.timeUs, f.data)
  return builder.take()
}

export class FrameBatchError extends Error {
  override readonly name = 'FrameBatchError'
}

/**
 * The frames of a batch, as views into `bytes` (no copies). Throws FrameBatchError for anything
 * that is not exactly a sequence of well-formed frames: a short header, a length past the end,
 * a time that is not a finite non-negative number, unknown flags.
 */
export function unpackFrames(bytes: Uint8Array): EncodedFrame[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const frames: EncodedFrame[] = []
  let at = 0
  while (at < bytes.byteLength) {
    if (bytes.byteLength - at < FRAME_HEADER_BYTES) throw new FrameBatchError(`a frame header is cut off at byte ${at}`)
    const track = view.getUint16(at, true)
    const flags = view.getUint8(at + 2)
    const length = view.getUint32(at + 4, true)
    const timeUs = view.getFloat64(at + 8, true)
    if ((flags & ~KEY_FRAME) !== 0 || view.getUint8(at + 3) !== 0) throw new FrameBatchError(`unknown flags at byte ${at}`)
    if (length === 0 || length > MAX_FRAME_BYTES) throw new FrameBatchError(`a frame of ${length} bytes at byte ${at}`)
    if (!Number.isFinite(timeUs) || timeUs < 0) throw new FrameBatchError(`a frame time of ${timeUs} at byte ${at}`)
    const start = at + FRAME_HEADER_BYTES
    if (start + length > bytes.byteLength) throw new FrameBatchError(`a frame at byte ${at} runs past the end of the batch`)
    frames.push({ track, key: (flags & KEY_FRAME) !== 0, timeUs, data: bytes.subarray(start, start + length) })
    at = start + length
  }
  return frames
}
