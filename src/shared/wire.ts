import { base64 } from '@scure/base'
import { MAX_JSON_DEPTH, peekJson } from './json-scan'

/**
 * JSON with binary: a Uint8Array travels as {"$bytes": "<base64>"}. Used by the WebSocket
 * transport; Electron IPC carries Uint8Array natively through structured clone.
 */
const BYTES_KEY = '$bytes'

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

export function decodeWire(text: string, codec: Base64Codec = defaultBase64): unknown {
  if (peekJson(text).tooDeep) throw new WireDepthError(`The message nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`)
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const record = v as Record<string, unknown>
      const keys = Object.keys(record)
      if (keys.length === 1 && keys[0] === BYTES_KEY && typeof record[BYTES_KEY] === 'string') {
        return codec.decode(record[BYTES_KEY])
      }
    }
    return v
  })
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
