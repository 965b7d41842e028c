import type { ErrorCode, ErrorShape } from '../../shared/contract/errors'
import { isMethodName, methods } from '../../shared/contract/index'
import { WsRequestFrame, WsRequestId } from '../../shared/contract/ws-protocol'
import { MAX_JSON_DEPTH, peekJson } from '../../shared/json-scan'
import { decodeWire, splitWireFrame, WireFormatError, type Base64Codec } from '../../shared/wire'

/** A request frame read from the renderer's socket, or why not, with the id to answer when it has one. */
export type FrameRead = { ok: true; frame: WsRequestFrame } | { ok: false; id: number | null; error: ErrorShape }

/** JSON can spend six characters on one character of a value (\u0000): more than that is surely too big. */
const TEXT_PER_VALUE_CHAR = 6

/**
 * Reads one frame. Whatever is wrong with it, a frame whose id can be made out gets an error
 * to answer with: nesting and size are checked on the text before it is parsed, and the id is
 * found even in text that is not JSON.
 */
export function readRequestFrame(frame: string | Uint8Array, options: { codec: Base64Codec }): FrameRead {
  let text: string
  let bytes: Uint8Array | undefined
  if (typeof frame === 'string') text = frame
  else {
    try {
      ;({ text, bytes } = splitWireFrame(frame))
    } catch (err) {
      if (!(err instanceof WireFormatError)) throw err
      return { ok: false, id: peekJson(err.text).id, error: { code: 'bad-request', message: err.message } }
    }
  }
  const peek = peekJson(text)
  const refuse = (code: ErrorCode, message: string, id = peek.id): FrameRead => ({ ok: false, id, error: { code, message } })
  if (peek.tooDeep) return refuse('bad-request', `The request nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`)
  if (peek.method !== null && isMethodName(peek.method)) {
    const cap = methods[peek.method].maxBytes
    const size = text.length + (bytes?.byteLength ?? 0)
    if (size > cap * TEXT_PER_VALUE_CHAR + 1024) return refuse('too-large', `${peek.method}: request is larger than ${cap} bytes`)
  }
  let value: unknown
  try {
    value = decodeWire(text, options.codec, bytes)
  } catch (err) {
    return refuse('bad-request', err instanceof WireFormatError ? err.message : 'The request is not JSON.')
  }
  const fields = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const id = WsRequestId.safeParse(fields.id)
  if (!('payload' in fields))
    return refuse('bad-request', 'The request has no payload (send {} when the method takes nothing).', id.success ? id.data : null)
  const parsed = WsRequestFrame.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.join('.') || 'frame'
    return refuse('bad-request', `The request frame is malformed (${where}: ${issue?.message ?? 'invalid'}).`, id.success ? id.data : null)
  }
  return { ok: true, frame: parsed.data }
}
