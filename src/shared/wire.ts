import { base64 } from '@scure/base'
import { MAX_JSON_DEPTH, peekJson } from './json-scan'

/**
 * JSON with binary, for the WebSocket transport (Electron IPC carries Uint8Array natively
 * through structured clone). In a text frame a Uint8Array travels as {"$bytes": "<base64>"}.
 * A request with bytes in it travels as one binary frame instead (encodeWireFrame), so its bytes
 * are neither base64'd nor scanned as text: the u32 (little-endian) length of a JSON text, the
 * text (UTF-8), then the bytes, which the text points into with {"$bin": [start, length]}
 * (start counted from the end of the text). Recording batches are the traffic this is for.
 */
const BYTES_KEY = '$bytes'
const BIN_KEY = '$bin'
const BINARY_FRAME_HEADER_BYTES = 4

/** How bytes become base64 and back; recording chunks make this the hot path of the transport. */
export interface Base64Codec {
  encode(bytes: Uint8Array): string
  decode(text: string): Uint8Array
}

type NativeBase64 = { fromBase64?: (text: string) => Uint8Array; prototype: { toBase64?: () => string } }
const native = Uint8Array as unknown as NativeBase64

/**
 * The engine's own base64 where it has one (Chromium 140+: Uint8Array.fromBase64/toBase64),
 * ~20x faster than the portable one on a 300 KB chunk; Node hosts pass Buffer's (see
 * src/main/host/ws-connection.ts).
 */
export const defaultBase64: Base64Codec =
  typeof native.fromBase64 === 'function' && typeof native.prototype.toBase64 === 'function'
    ? {
        encode: (bytes) => (bytes as unknown as { toBase64(): string }).toBase64(),
        decode: (text) => (native.fromBase64 as (t: string) => Uint8Array)(text)
      }
    : base64

export function encodeWire(value: unknown, codec: Base64Codec = defaultBase64): string {
  // The holder's own property, not `v`: JSON.stringify has already turned a Node Buffer (a
  // Uint8Array) into {type, data} through its toJSON by the time the replacer sees `v`.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key]
    return original instanceof Uint8Array ? { [BYTES_KEY]: codec.encode(original) } : v
  })
}

/** Text that nests deeper than any message of the contract: refused before it is parsed. */
export class WireDepthError extends Error {
  override readonly name = 'WireDepthError'
}

/** A binary frame when the value holds bytes (see above), else the JSON text. */
export function encodeWireFrame(value: unknown): string | Uint8Array {
  const parts: Uint8Array[] = []
  let blobBytes = 0
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key]
    if (!(original instanceof Uint8Array)) return v
    parts.push(original)
    const ref = { [BIN_KEY]: [blobBytes, original.byteLength] }
    blobBytes += original.byteLength
    return ref
  })
  if (parts.length === 0) return text
  const json = new TextEncoder().encode(text)
  const frame = new Uint8Array(BINARY_FRAME_HEADER_BYTES + json.byteLength + blobBytes)
  new DataView(frame.buffer).setUint32(0, json.byteLength, true)
  frame.set(json, BINARY_FRAME_HEADER_BYTES)
  let at = BINARY_FRAME_HEADER_BYTES + json.byteLength
  for (const part of parts) {
    frame.set(part, at)
    at += part.byteLength
  }
  return frame
}

/** A frame that is not what it claims to be; `text` is what could be read of it, to find an id to answer. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError'
  constructor(
    message: string,
    readonly text: string
  ) {
    super(message)
  }
}

/** A binary frame's JSON text and the bytes after it. Throws WireFormatError when it is not one. */
export function splitWireFrame(frame: Uint8Array): { text: string; bytes: Uint8Array } {
  const loose = () => new TextDecoder('utf-8').decode(frame.subarray(0, 4096))
  const shape = 'A binary frame is the 4-byte length of its JSON text, the text, then the bytes it points to.'
  if (frame.byteLength < BINARY_FRAME_HEADER_BYTES) throw new WireFormatError(shape, loose())
  const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true)
  if (length > frame.byteLength - BINARY_FRAME_HEADER_BYTES) throw new WireFormatError(shape, loose())
  const json = frame.subarray(BINARY_FRAME_HEADER_BYTES, BINARY_FRAME_HEADER_BYTES + length)
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(json), bytes: frame.subarray(BINARY_FRAME_HEADER_BYTES + length) }
  } catch {
    throw new WireFormatError("The binary frame's JSON text is not UTF-8.", new TextDecoder('utf-8').decode(json))
  }
}

/**
 * Parses a text frame, or the JSON text of a binary one with its `bytes` (views into them, not
 * copies). Throws WireFormatError when a {"$bin"} points past the bytes.
 */
export function decodeWire(text: string, codec: Base64Codec = defaultBase64, bytes?: Uint8Array): unknown {
  if (peekJson(text).tooDeep) throw new WireDepthError(`The message nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`)
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const record = v as Record<string, unknown>
      const keys = Object.keys(record)
      if (keys.length === 1 && keys[0] === BYTES_KEY && typeof record[BYTES_KEY] === 'string') {
        return codec.decode(record[BYTES_KEY])
      }
      if (bytes && keys.length === 1 && keys[0] === BIN_KEY) return binAt(record[BIN_KEY], bytes, text)
    }
    return v
  })
}

function binAt(ref: unknown, bytes: Uint8Array, text: string): Uint8Array {
  const [start, length] = Array.isArray(ref) && ref.length === 2 ? (ref as unknown[]) : []
  const whole = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0
  if (!whole(start) || !whole(length) || start + length > bytes.byteLength)
    throw new WireFormatError(`A {"${BIN_KEY}": [start, length]} points past the ${bytes.byteLength} bytes of its frame.`, text)
  return bytes.subarray(start, start + length)
}

/**
 * Roughly how many bytes a value takes when encoded, stopping as soon as it passes `limit`
 * so an oversize payload costs no more than the limit to measure. Strings count UTF-16 units
 * (close enough for a cap), binary counts its bytes.
 */
export function measureBytes(value: unknown, limit: number): number {
  let total = 0
  const stack: unknown[] = [value]
  const seen = new Set<object>()
  while (stack.length > 0 && total <= limit) {
    const v = stack.pop()
    if (v === null || v === undefined) total += 4
    else if (typeof v === 'string') total += v.length + 2
    else if (typeof v === 'number' || typeof v === 'boolean') total += 8
    else if (v instanceof Uint8Array) total += v.byteLength
    else if (ArrayBuffer.isView(v)) total += v.byteLength
    else if (v instanceof ArrayBuffer) total += v.byteLength
    else if (typeof v === 'object') {
      if (seen.has(v)) return Number.POSITIVE_INFINITY // cycles never cross the contract
      seen.add(v)
      if (Array.isArray(v)) {
        total += 2
        for (const item of v) stack.push(item)
      } else {
        for (const [k, item] of Object.entries(v)) {
          total += k.length + 4
          stack.push(item)
        }
      }
    } else total += 8
  }
  return total
}
