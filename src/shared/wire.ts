import { base64 } from '@scure/base'

/**
 * JSON with binary: a Uint8Array travels as {"$bytes": "<base64>"}. Used by the WebSocket
 * transport; Electron IPC carries Uint8Array natively through structured clone.
 */
const BYTES_KEY = '$bytes'

export function encodeWire(value: unknown): string {
  // The holder's own property, not `v`: JSON.stringify has already turned a Node Buffer (a
  // Uint8Array) into {type, data} through its toJSON by the time the replacer sees `v`.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key]
    return original instanceof Uint8Array ? { [BYTES_KEY]: base64.encode(original) } : v
  })
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const record = v as Record<string, unknown>
      const keys = Object.keys(record)
      if (keys.length === 1 && keys[0] === BYTES_KEY && typeof record[BYTES_KEY] === 'string') {
        return base64.decode(record[BYTES_KEY])
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
