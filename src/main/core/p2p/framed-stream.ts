import { lpStream, type LengthPrefixedStream } from '@libp2p/utils'
import type { Stream } from '@libp2p/interface'
import type { z } from 'zod'
import { FrameTimeoutError, InvalidFrameError } from './errors'

export interface FramedStreamOptions {
  /** Largest frame either side may send; a bigger length prefix ends the stream. */
  maxFrameBytes: number
  /** Default time allowed for one read (an idle stream is closed after it). */
  readTimeoutMs: number
  /** Time allowed for one write to be taken by the transport. */
  writeTimeoutMs: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Encode one JSON frame, refusing anything larger than `maxBytes`. */
export function encodeFrame(value: unknown, maxBytes: number): Uint8Array {
  const bytes = encoder.encode(JSON.stringify(value))
  if (bytes.byteLength > maxBytes) throw new InvalidFrameError(`frame of ${bytes.byteLength} bytes is over the ${maxBytes} byte limit`)
  return bytes
}

/**
 * Decode one frame: bytes -> UTF-8 -> JSON -> schema. Anything else is an InvalidFrameError,
 * never another exception, so one bad frame can be dropped without ending the stream.
 */
export function decodeFrame<S extends z.ZodType>(bytes: Uint8Array, schema: S, maxBytes: number): z.output<S> {
  if (bytes.byteLength > maxBytes) throw new InvalidFrameError(`frame of ${bytes.byteLength} bytes is over the ${maxBytes} byte limit`)
  let value: unknown
  try {
    value = JSON.parse(decoder.decode(bytes))
  } catch {
    throw new InvalidFrameError('frame is not UTF-8 JSON')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidFrameError(`frame failed its schema${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`)
  }
  return parsed.data
}

/**
 * One stream, wrapped once in one lpStream for both directions (a second wrapper would
 * buffer the same bytes twice), with a timeout on every read and write.
 */
export class FramedStream {
  readonly stream: Stream
  private readonly lp: LengthPrefixedStream<Stream>

  constructor(
    stream: Stream,
    private readonly options: FramedStreamOptions
  ) {
    this.stream = stream
    // The byte buffer holds at most a few frames: an unread flood ends the stream, not the process.
    this.lp = lpStream(stream, { maxDataLength: options.maxFrameBytes, maxBufferSize: options.maxFrameBytes * 12 })
  }

  /** The next raw frame. Throws on timeout, end of stream, or an oversized length prefix. */
  async readBytes(timeoutMs = this.options.readTimeoutMs): Promise<Uint8Array> {
    try {
      const list = await this.lp.read({ signal: AbortSignal.timeout(timeoutMs) })
      return list.subarray()
    } catch (err) {
      throw asTimeout(err, `no frame within ${timeoutMs} ms`)
    }
  }

  /** The next frame, decoded and checked. A bad frame throws InvalidFrameError; the stream stays usable. */
  async read<S extends z.ZodType>(schema: S, timeoutMs?: number): Promise<z.output<S>> {
    return decodeFrame(await this.readBytes(timeoutMs), schema, this.options.maxFrameBytes)
  }

  async write(value: unknown, timeoutMs = this.options.writeTimeoutMs): Promise<void> {
    await this.writeBytes(encodeFrame(value, this.options.maxFrameBytes), timeoutMs)
  }

  async writeBytes(bytes: Uint8Array, timeoutMs = this.options.writeTimeoutMs): Promise<void> {
    try {
      await this.lp.write(bytes, { signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      throw asTimeout(err, `write not taken within ${timeoutMs} ms`)
    }
  }

  get open(): boolean {
    return this.stream.status === 'open'
  }

  /** Close gracefully, but never wait long for it. */
  async close(): Promise<void> {
    try {
      await this.stream.close({ signal: AbortSignal.timeout(1000) })
    } catch (err) {
      this.stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  abort(err: Error): void {
    this.stream.abort(err)
  }
}

function asTimeout(err: unknown, message: string): unknown {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return new FrameTimeoutError(message)
  return err
}

/**
 * Buffered frames resolve reads as microtasks, which never let sockets or timers run: a read
 * loop calls this every few dozen frames so one flooding peer cannot starve the others.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
